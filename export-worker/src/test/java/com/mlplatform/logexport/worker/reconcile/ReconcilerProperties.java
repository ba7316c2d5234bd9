package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.worker.invocation.ExportKeys;
import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.config.PlatformResources;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The reconciler's promises, for any mix of exports and times: it never disturbs an export whose worker holds the
 * lease or that was written lately, every export past its maximum age ends FAILED with nothing left behind, and
 * the bounds docs/reliability.md states hold.
 */
class ReconcilerProperties {

    private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
    private static final long MAX_AGE = 86_400;

    enum State { QUEUED, LEASED, LEASE_EXPIRED, BETWEEN_HOPS }

    /** One export: its state, when it was created and last written (seconds before NOW), and whether it uploads. */
    record Spec(State state, long createdAgo, long writtenAgo, boolean uploading) {
    }

    @Provide
    Arbitrary<Spec> specs() {
        return Combinators.combine(Arbitraries.of(State.class), Arbitraries.longs().between(0, 2 * MAX_AGE),
                        Arbitraries.doubles().between(0, 1), Arbitraries.of(true, false))
                .as((state, created, fraction, uploading) -> new Spec(state, created,
                        (long) (created * fraction), uploading && state != State.QUEUED));
    }

    @Property(tries = 300)
    void neverRedrivesALiveOrRecentExport_andFailsEveryTooOldOne_leavingNothing(
            @ForAll @Size(min = 1, max = 20) List<@From("specs") Spec> specs) {
        var world = new ReconcilerWorld();
        List<ExportJob> jobs = new ArrayList<>();
        for (Spec spec : specs) {
            jobs.add(create(world, spec));
        }

        world.run(NOW);

        Duration quiet = world.config.quietBound();
        for (int i = 0; i < jobs.size(); i++) {
            Spec spec = specs.get(i);
            ExportJob before = jobs.get(i);
            ExportJob after = world.job(before);
            boolean tooOld = spec.createdAgo() >= MAX_AGE;
            boolean leased = spec.state() == State.LEASED;
            boolean recent = Duration.ofSeconds(spec.writtenAgo()).compareTo(quiet) < 0;
            if (leased || recent) {
                assertThat(world.queue.sentFor(before.exportId())).as("%s re-driven", spec).isEmpty();
            }
            if (tooOld) {
                assertThat(after.status()).as("%s", spec).isEqualTo(ExportStatus.FAILED);
                String prefix = ExportKeys.exportPrefix(before.usecaseId(), before.exportId());
                assertThat(world.bucket.uploads()).as("%s upload", spec).noneMatch(u -> u.key().startsWith(prefix));
                assertThat(world.bucket.keys()).as("%s working object", spec).noneMatch(k -> k.contains(
                        before.exportId()));
            } else {
                assertThat(after.status()).as("%s", spec).isNotEqualTo(ExportStatus.FAILED);
            }
        }
    }

    private static ExportJob create(ReconcilerWorld world, Spec spec) {
        Instant created = NOW.minusSeconds(spec.createdAgo());
        Instant written = NOW.minusSeconds(spec.writtenAgo());
        ExportJob job = world.queued(created);
        switch (spec.state()) {
            case QUEUED -> {
                return world.touch(job, written);
            }
            case LEASED -> {
                // claimed so that the lease still runs at NOW (a live worker writes at least at its claim)
                Instant claim = NOW.minus(ReconcilerWorld.LEASE).plusSeconds(1);
                job = world.claim(job, claim.isBefore(created) ? created : claim);
            }
            case LEASE_EXPIRED -> job = world.claim(job, written.minus(ReconcilerWorld.LEASE).isBefore(created)
                    ? created : written.minus(ReconcilerWorld.LEASE));
            case BETWEEN_HOPS -> {
                job = world.claim(job, created);
                job = world.pause(job, created);
            }
        }
        if (spec.uploading()) {
            job = world.startUpload(job, job.updatedAt());
        }
        return spec.state() == State.LEASED ? job : world.touch(job, written);
    }

    @Property(tries = 200)
    void anExportWhoseWorkersAlwaysDie_endsFailed_within_redrivesPlusOne_times_staleAfterPlusPeriod(
            @ForAll @IntRange(min = 0, max = 5) int maxRedrives,
            @ForAll @IntRange(min = 960, max = 2400) int staleAfter,
            @ForAll @IntRange(min = 60, max = 600) int period,
            @ForAll @IntRange(min = 0, max = 600) int queueWait,
            @ForAll @IntRange(min = 0, max = 599) int phase) {
        var world = new ReconcilerWorld(config(maxRedrives, staleAfter));
        Instant t0 = NOW;
        ExportJob job = world.queued(t0);
        world.claim(job, t0); // ... and its worker dies at once
        List<Instant> claims = new ArrayList<>();
        long t = phase % period;
        long bound = (long) (maxRedrives + 1) * (staleAfter + period) + (long) maxRedrives * queueWait;
        while (world.job(job).status().isActive() && t <= bound + 10L * period) {
            Instant now = t0.plusSeconds(t);
            for (Instant c : List.copyOf(claims)) {
                if (!c.isAfter(now)) {
                    world.claim(job, c); // the re-driven message reaches a worker, which dies too
                    claims.remove(c);
                }
            }
            int sent = world.queue.sentFor(job.exportId()).size();
            world.run(now);
            if (world.queue.sentFor(job.exportId()).size() > sent) {
                claims.add(now.plusSeconds(queueWait));
            }
            t += period;
        }

        assertThat(world.job(job).status()).isEqualTo(ExportStatus.FAILED);
        assertThat(t - period).as("failed at (s after the last write)").isLessThanOrEqualTo(bound);
        assertThat(world.queue.sentFor(job.exportId())).hasSize(maxRedrives);
    }

    @Property(tries = 200)
    void anExportWhoseMessageIsLost_isRedriven_withinGracePlusPeriod(
            @ForAll @IntRange(min = 60, max = 3600) int grace,
            @ForAll @IntRange(min = 60, max = 600) int period,
            @ForAll @IntRange(min = 0, max = 599) int phase,
            @ForAll boolean betweenHops) {
        var config = new ReconcilerConfig("exports", "queue", "bucket", Duration.ofSeconds(grace),
                Duration.ofSeconds(1200), 3, Duration.ofSeconds(MAX_AGE));
        var world = new ReconcilerWorld(config);
        ExportJob job = world.queued(NOW);
        if (betweenHops) {
            world.claim(job, NOW);
            world.pause(job, NOW);
        }
        long t = phase % period;
        while (world.queue.sentFor(job.exportId()).isEmpty() && t <= grace + 2L * period) {
            world.run(NOW.plusSeconds(t));
            t += period;
        }

        assertThat(world.queue.sentFor(job.exportId())).hasSize(1);
        assertThat(t - period).isGreaterThanOrEqualTo(grace).isLessThanOrEqualTo(grace + period);
    }

    private static ReconcilerConfig config(int maxRedrives, int staleAfter) {
        var defaults = ReconcilerConfig.defaults(new PlatformResources("exports", "usecases", "queue", "bucket"));
        return new ReconcilerConfig(defaults.exportsTable(), defaults.queueUrl(), defaults.bucket(),
                defaults.queuedGrace(), Duration.ofSeconds(staleAfter), maxRedrives, defaults.maxExportAge());
    }
}
