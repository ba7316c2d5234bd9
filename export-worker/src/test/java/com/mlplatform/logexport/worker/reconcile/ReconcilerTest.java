package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.worker.invocation.ExportKeys;
import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.message.ExportMessage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each rule of the reconciler, with the default bounds: grace 900 s, stale-after 1,200 s, 3 re-drives, 24 h. */
class ReconcilerTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final ReconcilerWorld world = new ReconcilerWorld();

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    // ---------------------------------------------------------------- waiting for a message

    @Test
    void queuedExport_withoutAWrite_isLeftAlone_withinTheGrace() {
        world.queued(T0);

        var report = world.run(at(899));

        assertThat(world.queue.sent()).isEmpty();
        assertThat(report.count("active")).isEqualTo(1);
    }

    @Test
    void queuedExport_whoseMessageWasNeverSent_isRedrivenWithHopZero_afterTheGrace() {
        ExportJob job = world.queued(T0);

        var report = world.run(at(900));

        assertThat(world.queue.sent()).containsExactly(ExportMessage.start(job.exportId()));
        assertThat(report.count("redriven_queued_silent")).isEqualTo(1);
        assertThat(world.job(job).status()).as("a re-drive never changes the job record").isEqualTo(ExportStatus.QUEUED);
    }

    @Test
    void queuedExport_redrivenOnce_waitsTwiceTheGrace_beforeTheNextRedrive() {
        ExportJob job = world.queued(T0);
        world.run(at(900));

        world.run(at(900 + 1799));
        assertThat(world.queue.sentFor(job.exportId())).as("one re-drive within 2x grace").hasSize(1);

        world.run(at(900 + 1800));
        assertThat(world.queue.sentFor(job.exportId())).hasSize(2);
    }

    @Test
    void queuedExport_inADeepBacklog_isNeverFailed_beforeItsMaximumAge() {
        ExportJob job = world.queued(T0);

        for (long t = 0; t < 86_400; t += 300) {
            world.run(at(t));
        }

        assertThat(world.job(job).status()).isEqualTo(ExportStatus.QUEUED);
        assertThat(world.queue.sentFor(job.exportId())).as("re-drives back off: grace x 1, 2, 4, 8, 8, ...")
                .hasSizeBetween(8, 14);
    }

    @Test
    void exportBetweenHops_whoseContinuationWasLost_isRedrivenWithItsCurrentHop() {
        ExportJob job = world.queued(T0);
        world.claim(job, at(10));
        world.pause(job, at(800)); // continuation sent, then lost
        world.pause(job, at(800)); // and once more: the job is at hop 2

        world.run(at(800 + 900));

        assertThat(world.queue.sent()).containsExactly(
                new ExportMessage(ExportMessage.CURRENT_VERSION, job.exportId(), 2));
    }

    // ---------------------------------------------------------------- stalled: the worker died

    @Test
    void runningExport_withALiveLease_isLeftAlone_howeverOldItsLastWrite() {
        ExportJob job = world.queued(T0);
        world.claim(job, at(0)); // lease until 930 s

        world.run(at(929));

        assertThat(world.queue.sent()).isEmpty();
    }

    @Test
    void runningExport_withAnExpiredLease_isRedriven_onlyAfterStaleAfter() {
        ExportJob job = world.queued(T0);
        world.claim(job, at(0));

        world.run(at(1199));
        assertThat(world.queue.sent()).as("lease expired at 930 s, but stale-after is 1,200 s").isEmpty();

        var report = world.run(at(1200));
        assertThat(world.queue.sent()).containsExactly(ExportMessage.start(job.exportId()));
        assertThat(report.count("redriven_stalled")).isEqualTo(1);
    }

    @Test
    void runningExport_whoseWorkersKeepDying_isFailedAfterMaxRedrives_andCleanedUpFirst() {
        ExportJob job = world.queued(T0);
        world.claim(job, at(0));
        world.startUpload(job, at(5));
        long t = 0;
        int redrives = 0;
        while (world.job(job).status().isActive() && t < 86_400) {
            t += 300;
            int before = world.queue.sentFor(job.exportId()).size();
            world.run(at(t));
            if (world.queue.sentFor(job.exportId()).size() > before) {
                redrives++;
                world.claim(job, at(t + 1)); // the re-driven message is claimed at once, and the worker dies again
            }
        }

        ExportJob failed = world.job(job);
        assertThat(failed.status()).isEqualTo(ExportStatus.FAILED);
        assertThat(redrives).isEqualTo(3);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(failed.error().message())
                .isEqualTo("The export stopped making progress after 3 restarts; please start it again.");
        assertThat(world.bucket.uploads()).as("upload aborted").isEmpty();
        assertThat(world.bucket.keys()).as("working object deleted").isEmpty();
        assertThat(Duration.ofSeconds(t)).as("within (max re-drives + 1) x (stale-after + period)")
                .isLessThanOrEqualTo(Duration.ofSeconds(4 * (1200 + 300)));
    }

    @Test
    void durableProgress_betweenRestarts_startsTheCountAfresh() {
        ExportJob job = world.queued(T0);
        world.claim(job, at(0));
        long t = 0;
        for (int hop = 0; hop < 10; hop++) {
            t += 1900; // past the last claim's lease and stale-after
            world.run(at(t));
            assertThat(world.queue.sent()).as("re-drive %d", hop).isNotEmpty();
            world.queue.clear();
            world.claim(job, at(t + 1));
            world.pause(job, at(t + 600)); // the hop got somewhere, and then its continuation was lost
            world.claim(job, at(t + 601)); // ... or its next worker died at once
        }

        assertThat(world.job(job).status()).isEqualTo(ExportStatus.RUNNING);
    }

    @Test
    void theSameExpiredLease_seenAgain_isNotAnotherAttempt() {
        ExportJob job = world.queued(T0);
        world.claim(job, at(0));

        // Re-driven at 1,200 s, but the message waits in a backlog: nobody claims it for hours.
        for (long t = 1200; t < 6 * 3600; t += 300) {
            world.run(at(t));
        }

        assertThat(world.job(job).status()).as("one attempt died; the re-drives were not tried yet")
                .isEqualTo(ExportStatus.RUNNING);
        assertThat(world.queue.sentFor(job.exportId())).as("re-driven with a doubling wait").hasSizeBetween(4, 8);
    }

    @Test
    void aWorkerWritingBetweenTheReadAndTheFail_winsTheRace_andTheNextRunDecidesAgain() {
        ExportJob job = world.queued(T0.minus(Duration.ofDays(2)));
        world.exports.beforeFail(() -> world.touch(job, at(0)));

        var report = world.run(at(1));

        assertThat(report.count("fail_raced")).isEqualTo(1);
        assertThat(world.job(job).status()).isEqualTo(ExportStatus.QUEUED);
        world.exports.beforeFail(() -> { });
        world.run(at(301));
        assertThat(world.job(job).status()).isEqualTo(ExportStatus.FAILED);
    }

    @Test
    void aRedrive_isCounted_evenWhenSendingItFails() {
        var world = new ReconcilerWorld();
        ExportJob job = world.queued(T0);
        var failing = new Reconciler(world.exports, world.exports, world.marks, m -> {
            throw new IllegalStateException("SQS unavailable (test)");
        }, world.bucket, world.config, ReconcilerWorld.quietLog(), world.completions());

        var report = failing.runOnce(at(900));

        assertThat(report.count("errors")).isEqualTo(1);
        assertThat(world.marks.find(job.exportId()).orElseThrow().redrives())
                .as("counted first, so a failing queue can never re-drive without limit").isEqualTo(1);
    }

    // ---------------------------------------------------------------- too old

    @Test
    void exportOlderThanTheMaximumAge_isFailed_evenWhileItsWorkerHoldsTheLease_andCleanedUp() {
        ExportJob job = world.queued(T0);
        world.claim(job, at(86_000));
        world.startUpload(job, at(86_001));

        var report = world.run(at(86_400));

        ExportJob failed = world.job(job);
        assertThat(failed.status()).isEqualTo(ExportStatus.FAILED);
        assertThat(failed.error().message()).isEqualTo("The export did not finish within 24 hours; please start it again.");
        assertThat(failed.checkpoint()).as("cleaned up, so nothing left to point at").isNull();
        assertThat(world.bucket.uploads()).isEmpty();
        assertThat(world.bucket.keys()).isEmpty();
        assertThat(report.count("failed_too_old")).isEqualTo(1);
    }

    @Test
    void whenTheCleanupFails_theExportStaysActive_untilARunCanCleanItUp() {
        ExportJob job = world.queued(T0);
        world.claim(job, at(0));
        world.startUpload(job, at(1));
        world.bucket.unavailable(true);

        var report = world.run(at(86_400));

        assertThat(report.count("cleanup_failed")).isEqualTo(1);
        assertThat(world.job(job).status()).as("the upload id stays in the record").isEqualTo(ExportStatus.RUNNING);
        world.bucket.unavailable(false);
        world.run(at(86_700));
        assertThat(world.job(job).status()).isEqualTo(ExportStatus.FAILED);
        assertThat(world.bucket.uploads()).isEmpty();
    }

    @Test
    void exportWithAnUnreadableCheckpoint_isFailed() {
        ExportJob job = world.queued(T0);
        ExportJob claimed = world.claim(job, at(0));
        world.exports.put(new ExportJob(claimed.exportId(), claimed.usecaseId(), claimed.trainingId(),
                claimed.requestedBy(), claimed.options(), claimed.status(), claimed.createdAt(), claimed.updatedAt(),
                null, claimed.progress(), null, null, "{\"v\":99}", claimed.version()));

        var report = world.run(at(1200));

        assertThat(world.job(job).status()).isEqualTo(ExportStatus.FAILED);
        assertThat(report.count("failed_unreadable")).isEqualTo(1);
    }

    // ---------------------------------------------------------------- orphans

    private final Instant now = at(200_000);
    /** Longer ago than any export may live (max age 24 h + 1 h). */
    private final Instant old = now.minus(Duration.ofHours(26));

    private ExportJob finishedLongAgo(ExportStatus status) {
        ExportJob job = world.queued(old);
        world.finish(job, status, old);
        return job;
    }

    @Test
    void orphanedUpload_olderThanAnyExportMayLive_isAborted_butNotOneOfALiveExport_norARecentOne() {
        ExportJob finished = finishedLongAgo(ExportStatus.CANCELLED);
        ExportJob live = world.queued(now.minusSeconds(60));
        world.bucket.openUpload(ExportKeys.exportPrefix("uc-a", finished.exportId()) + "f.log", "u-finished", old);
        world.bucket.openUpload(ExportKeys.exportPrefix("uc-a", "exp-gone") + "f.log", "u-gone", old);
        world.bucket.openUpload(ExportKeys.exportPrefix("uc-a", live.exportId()) + "f.log", "u-live", old);
        world.bucket.openUpload(ExportKeys.exportPrefix("uc-a", "exp-recent") + "f.log", "u-recent",
                now.minus(Duration.ofHours(24)));

        var report = world.run(now);

        assertThat(world.bucket.uploads()).extracting(ExportLeftovers.OpenUpload::uploadId)
                .containsExactlyInAnyOrder("u-live", "u-recent");
        assertThat(report.count("orphan_uploads_aborted")).isEqualTo(2);
        assertThat(report.count("orphans_kept")).isEqualTo(1);
    }

    @Test
    void orphanedWorkingObject_ofAFinishedExport_isDeleted() {
        ExportJob finished = finishedLongAgo(ExportStatus.FAILED);
        String key = ExportKeys.workPrefix("uc-a", finished.exportId()) + "checkpoint-parts";
        world.bucket.putObject(key, old);

        var report = world.run(now);

        assertThat(world.bucket.keys()).isEmpty();
        assertThat(report.count("orphan_work_deleted")).isEqualTo(1);
    }
}
