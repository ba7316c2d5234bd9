package com.mlplatform.logexport.api.accept;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The bulk claim's reading of a cancelled transaction: guards held by someone else are joined, guards cancelled
 * only because of them are sent again, conflicts are sent again with backoff. Runs against the in-memory
 * {@link GuardTable}, because moto never reports conflicts or throttling; {@code DynamoGuardTableIT} shows the
 * DynamoDB adapter gives the same answers on the emulator.
 */
class InflightGuardsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    /** No export exists yet for any guard: a held guard claimed just now belongs to a request still writing it. */
    private static final InflightGuards.Exports NO_EXPORTS = id -> Optional.<ExportJob>empty();
    private static final Liveness LIVENESS = new Liveness(Duration.ofSeconds(1200));

    @RegisterExtension
    final BatchCallsKit kit = new BatchCallsKit(Duration.ofMillis(25), Duration.ofMillis(800), 8);
    private final InMemoryGuardTable table = new InMemoryGuardTable();
    private final InflightGuards guards = new InflightGuards(table, NO_EXPORTS, LIVENESS, kit.retry);

    private static List<InflightGuards.Request> requests(int n) {
        return IntStream.range(0, n).mapToObj(i -> new InflightGuards.Request("user|uc|train-" + i + "|text",
                "exp-" + i)).toList();
    }

    @Test
    void heldGuards_areJoined_andTheRestOfTheirTransactionIsSentAgain() {
        List<InflightGuards.Request> requests = requests(250);
        for (int i : List.of(3, 150, 249)) {
            // held by an export that is about to be written (claimed just now, job not there yet)
            String key = requests.get(i).dedupeKey();
            table.guards.put(key, new Guard(key, "held-" + i, NOW));
        }

        List<InflightGuards.Claim> claims = guards.claimAll(requests, NOW, kit.pool);

        assertThat(claims).hasSize(250);
        for (int i = 0; i < 250; i++) {
            if (List.of(3, 150, 249).contains(i)) {
                assertThat(claims.get(i)).isEqualTo(new InflightGuards.Joined("held-" + i, ExportStatus.QUEUED));
            } else {
                assertThat(claims.get(i)).isEqualTo(new InflightGuards.Claimed("exp-" + i));
                assertThat(table.guards.get(requests.get(i).dedupeKey()).owner()).isEqualTo("exp-" + i);
            }
        }
        // 3 chunks (100, 100, 50), each cancelled once by its held guard and sent again without it.
        assertThat(table.transactionSizes).containsExactlyInAnyOrder(100, 99, 100, 99, 50, 49);
        assertThat(kit.sleeps).as("a condition failure needs no backoff").isEmpty();
    }

    @Test
    void aGuardNamingOurOwnCandidate_isClaimed_notJoined_whenOurWriteCommittedAndItsResponseWasLost() {
        // The transaction committed, its response was lost, and the SDK's retry found the guard taken - by us.
        List<InflightGuards.Request> requests = requests(1);
        String key = requests.get(0).dedupeKey();
        table.guards.put(key, new Guard(key, requests.get(0).candidateId(), NOW));

        List<InflightGuards.Claim> claims = guards.claimAll(requests, NOW, kit.pool);

        assertThat(claims).as("joining our own unwritten export would answer 202 for an export never created")
                .containsExactly(new InflightGuards.Claimed(requests.get(0).candidateId()));
    }

    @Test
    void conflictingItems_areSentAgainWithBackoff() {
        List<InflightGuards.Request> requests = requests(10);
        table.conflicts.put(requests.get(4).dedupeKey(), new AtomicInteger(2));

        List<InflightGuards.Claim> claims = guards.claimAll(requests, NOW, kit.pool);

        assertThat(claims).allMatch(c -> c instanceof InflightGuards.Claimed);
        assertThat(table.guards).hasSize(10);
        assertThat(table.transactionSizes).containsExactly(10, 10, 10);
        assertThat(kit.sleeps).hasSize(2);
    }

    @Test
    void aConflictThatNeverClears_failsOnlyAfterTheBackoffBudget() {
        List<InflightGuards.Request> requests = requests(5);
        table.conflicts.put(requests.get(0).dedupeKey(), new AtomicInteger(1_000));

        List<InflightGuards.Claim> claims = guards.claimAll(requests, NOW, kit.pool);

        assertThat(claims).allMatch(c -> c instanceof InflightGuards.Failed);
        assertThat(table.transactionSizes).hasSize(kit.maxAttempts());
        assertThat(table.guards).isEmpty();
    }

    @Test
    void aTransactionWithAnUnknownOutcome_failsItsItemsAndReleasesTheirGuards() {
        table.failWith = SdkClientException.create("connection reset");
        List<InflightGuards.Request> requests = requests(3);

        List<InflightGuards.Claim> claims = guards.claimAll(requests, NOW, kit.pool);

        assertThat(claims).containsExactly(new InflightGuards.Failed("exp-0"), new InflightGuards.Failed("exp-1"),
                new InflightGuards.Failed("exp-2"));
        assertThat(table.deleted).containsExactlyInAnyOrderElementsOf(
                requests.stream().map(InflightGuards.Request::dedupeKey).toList());
    }

    @Test
    void claim_joinsTheExport_whenItsGuardOwnerIsStillRunning() {
        ExportJob running = job("exp-running", ExportStatus.RUNNING);
        var withJobs = new InflightGuards(table, id -> id.equals(running.exportId()) ? Optional.of(running)
                : Optional.empty(), LIVENESS, kit.retry);
        InflightGuards.Request request = requests(1).get(0);
        table.guards.put(request.dedupeKey(), new Guard(request.dedupeKey(), running.exportId(), NOW.minusSeconds(3600)));

        assertThat(withJobs.claimAll(List.of(request), NOW, kit.pool))
                .containsExactly(new InflightGuards.Joined("exp-running", ExportStatus.RUNNING));
        assertThat(table.guards.get(request.dedupeKey()).owner()).isEqualTo("exp-running");
    }

    @Test
    void claim_takesTheGuardOver_whenItsExportFinished_orItsClaimantDiedBeforeWritingOne() {
        ExportJob finished = job("exp-finished", ExportStatus.SUCCEEDED);
        var withJobs = new InflightGuards(table, id -> id.equals(finished.exportId()) ? Optional.of(finished)
                : Optional.empty(), LIVENESS, kit.retry);
        List<InflightGuards.Request> requests = requests(2);
        table.guards.put(requests.get(0).dedupeKey(), new Guard(requests.get(0).dedupeKey(), "exp-finished", NOW));
        Instant pastGrace = NOW.minus(InflightGuards.PENDING_GRACE).minusMillis(1);
        table.guards.put(requests.get(1).dedupeKey(), new Guard(requests.get(1).dedupeKey(), "exp-dead", pastGrace));

        assertThat(withJobs.claimAll(requests, NOW, kit.pool))
                .containsExactly(new InflightGuards.Claimed("exp-0"), new InflightGuards.Claimed("exp-1"));
        assertThat(table.guards.get(requests.get(0).dedupeKey()).owner()).isEqualTo("exp-0");
        assertThat(table.guards.get(requests.get(1).dedupeKey()).owner()).isEqualTo("exp-1");
    }

    @Test
    void claim_takesTheGuardOver_whenItsActiveExportWasNotWrittenWithinTheStuckBound() {
        ExportJob stuck = job("exp-stuck", ExportStatus.RUNNING, NOW.minus(LIVENESS.stuckAfter()));
        ExportJob live = job("exp-live", ExportStatus.QUEUED, NOW.minus(LIVENESS.stuckAfter()).plusSeconds(1));
        var withJobs = new InflightGuards(table, id -> Optional.of(id.equals(stuck.exportId()) ? stuck : live),
                LIVENESS, kit.retry);
        List<InflightGuards.Request> requests = requests(2);
        table.guards.put(requests.get(0).dedupeKey(), new Guard(requests.get(0).dedupeKey(), "exp-stuck", NOW));
        table.guards.put(requests.get(1).dedupeKey(), new Guard(requests.get(1).dedupeKey(), "exp-live", NOW));

        assertThat(withJobs.claimAll(requests, NOW, kit.pool)).containsExactly(new InflightGuards.Claimed("exp-0"),
                new InflightGuards.Joined("exp-live", ExportStatus.QUEUED));
        assertThat(table.guards.get(requests.get(0).dedupeKey()).owner()).isEqualTo("exp-0");
    }

    private static ExportJob job(String id, ExportStatus status) {
        return job(id, status, NOW);
    }

    private static ExportJob job(String id, ExportStatus status, Instant updatedAt) {
        ExportJob queued = ExportJob.queued(id, "uc", "train", "user", ExportOptions.DEFAULT, null, NOW);
        return new ExportJob(id, queued.usecaseId(), queued.trainingId(), queued.requestedBy(), queued.options(),
                status, queued.createdAt(), updatedAt, null, queued.progress(), null, null, null, queued.version());
    }
}
