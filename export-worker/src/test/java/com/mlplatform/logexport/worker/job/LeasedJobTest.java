package com.mlplatform.logexport.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportResult;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.checkpoint.CheckpointCodec;
import com.mlplatform.logexport.worker.invocation.JobChanged;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The job ledger's conditional writes, when a write's response is lost after it committed. */
class LeasedJobTest {

    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
    private static final String OWNER = "invocation-1/m-1";

    private final InMemoryJobRecords records = new InMemoryJobRecords();
    private final JobLedger ledger = new JobLedger(records, Clock.fixed(NOW, ZoneOffset.UTC));
    private final ExportJob queued = ExportJob.queued("exp-0123456789abcdefghjkmnpqrs", "uc-vision", "train-1",
            "alice@example.com", ExportOptions.DEFAULT, null, NOW.minusSeconds(60));

    private LeasedJob claimed() {
        records.put(queued);
        var claim = (JobLedger.Claimed) ledger.claim(queued.exportId(), 0, OWNER, NOW.plusSeconds(900));
        return new LeasedJob(ledger, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO, claim.job(),
                claim.checkpoint(), OWNER);
    }

    @Test
    void persist_countsItsOwnCommittedWrite_asDone_whenTheResponseWasLost() {
        LeasedJob leased = claimed();
        Checkpoint next = leased.checkpoint().nextContinuation();
        records.loseResponses(1);

        leased.persist(next, new Progress(2, 0, 10, 100));

        ExportJob stored = records.stored(queued.exportId());
        assertThat(leased.current()).as("the stored record is ours").isEqualTo(stored);
        assertThat(CheckpointCodec.decode(stored.checkpoint())).isEqualTo(next);
        assertThat(leased.checkpoint()).isEqualTo(next);
    }

    @Test
    void succeed_andClaim_recogniseTheirOwnWrites_too() {
        records.put(queued);
        records.loseResponses(1);
        var claim = ledger.claim(queued.exportId(), 0, OWNER, NOW.plusSeconds(900));
        assertThat(claim).as("the claim committed; its lost response is no lost race")
                .isInstanceOf(JobLedger.Claimed.class);
        LeasedJob leased = new LeasedJob(ledger, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO,
                ((JobLedger.Claimed) claim).job(), ((JobLedger.Claimed) claim).checkpoint(), OWNER);
        records.loseResponses(1);

        leased.succeed(new ExportResult("bucket", "key", "file.log", "text/plain", 10), Progress.NONE);

        assertThat(records.stored(queued.exportId()).status()).isEqualTo(ExportStatus.SUCCEEDED);
    }

    @Test
    void persist_stillStops_whenSomeoneElseWroteInBetween() {
        LeasedJob leased = claimed();
        ledger.failIfActive(queued.exportId(), null); // stands in for the API's cancel: another writer

        assertThatThrownBy(() -> leased.persist(leased.checkpoint(), Progress.NONE))
                .isInstanceOf(JobChanged.class);
    }

    @Test
    void persist_stillStops_whenAnotherDeliveryMadeTheSameVersion() {
        LeasedJob leased = claimed();
        LeasedJob other = new LeasedJob(ledger, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO, leased.current(),
                leased.checkpoint(), "invocation-2/m-1");
        other.persist(leased.checkpoint(), new Progress(1, 0, 1, 1));

        assertThatThrownBy(() -> leased.persist(leased.checkpoint(), Progress.NONE))
                .as("same version, another delivery's token").isInstanceOf(JobChanged.class);
    }
}
