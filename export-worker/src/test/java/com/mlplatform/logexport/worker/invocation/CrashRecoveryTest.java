package com.mlplatform.logexport.worker.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.checkpoint.CheckpointCodec;
import com.mlplatform.logexport.worker.failure.Retrier;
import com.mlplatform.logexport.worker.testing.GeneratedJob;
import com.mlplatform.logexport.worker.testing.InMemoryLogSource;
import com.mlplatform.logexport.worker.testing.InMemoryMultipartStore;
import com.mlplatform.logexport.worker.testing.InvocationRunner;
import com.mlplatform.logexport.worker.testing.ManualClock;
import com.mlplatform.logexport.worker.testing.RecordingLedger;
import com.mlplatform.logexport.worker.time.Deadline;
import com.mlplatform.logexport.worker.upload.MultipartStore;
import com.mlplatform.logexport.worker.upload.PartSizePolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An invocation killed at a moment of its hop (an {@link Error} thrown by the store right after the named call took
 * effect, which no clean-up code catches), and the delivery that takes over from the last saved checkpoint: the
 * export finishes with the file of an uninterrupted run and leaves no upload and no working object behind.
 */
class CrashRecoveryTest {

    private static final PartSizePolicy PARTS = PartSizePolicy.forS3(PartSizePolicy.S3_MIN_PART);
    private static final Duration HOP = Duration.ofMillis(2500);

    /** The simulated SIGKILL. */
    private static final class Killed extends Error {
        Killed(String after) {
            super("killed after " + after, null, false, false);
        }
    }

    private final GeneratedJob generated = GeneratedJob.small();
    private final ExportJob job = generated.job(ExportFormat.TEXT);
    private final ManualClock clock = new ManualClock(GeneratedJob.CREATED);
    private final InMemoryMultipartStore store = new InMemoryMultipartStore(PartSizePolicy.S3_MIN_PART);
    /** Every page takes a second, so a hop reads a few pages and pauses with a working object. */
    private final InMemoryLogSource source = generated.source().onCall(() -> clock.advance(Duration.ofSeconds(1)));
    private final RecordingLedger ledger = new RecordingLedger();
    private byte[] uninterrupted;

    @BeforeEach
    void exportOnceWithoutCrash() {
        InMemoryMultipartStore reference = new InMemoryMultipartStore(PartSizePolicy.S3_MIN_PART);
        uninterrupted = new InvocationRunner(new ManualClock(GeneratedJob.CREATED), reference, PARTS)
                .run(job, generated.source(), Duration.ofDays(1)).file();
    }

    /** Killed after CompleteMultipartUpload, or after it and the DeleteObject of the working object. */
    @ParameterizedTest
    @ValueSource(strings = {"complete", "delete"})
    void completedUpload_isAdoptedAsSucceeded_withoutMergingAgain_whenTheHopDiedBeforeRecordingIt(String killedAfter) {
        Checkpoint saved = pausedHop(Checkpoint.initial(GeneratedJob.CREATED.toEpochMilli()));
        killedAfter(killedAfter, saved, Duration.ofDays(1));
        int pagesRead = source.pageCalls();

        InvocationResult.Finished finished = finishFrom(saved);

        assertThat(source.pageCalls()).as("the finished file is adopted, not merged again").isEqualTo(pagesRead);
        assertThat(store.object(finished.result().key())).isEqualTo(uninterrupted);
        assertThat(finished.result().sizeBytes()).isEqualTo(uninterrupted.length);
        assertNothingLeft();
    }

    @Test
    void workingObjectOfTheSavedCheckpoint_survivesAHopThatStashedAndDiedBeforeSavingItsOwn() {
        Checkpoint saved = pausedHop(Checkpoint.initial(GeneratedJob.CREATED.toEpochMilli()));
        killedAfter("putStash", saved, HOP);

        InvocationResult.Finished finished = finishFrom(saved);

        assertThat(store.object(finished.result().key())).isEqualTo(uninterrupted);
        assertNothingLeft();
    }

    @Test
    void uploadCreatedButNeverRecorded_isAbortedWhenTheExportFinishes() {
        Checkpoint initial = Checkpoint.initial(GeneratedJob.CREATED.toEpochMilli());
        killedAfter("create", initial, HOP);

        InvocationResult.Finished finished = finishFrom(initial);

        assertThat(store.creates()).as("the dead hop's upload and the recovery's").isEqualTo(2);
        assertThat(store.object(finished.result().key())).isEqualTo(uninterrupted);
        assertNothingLeft();
    }

    @Test
    void secondUploadOfARetriedCreate_isAbortedWhenTheExportFinishes() {
        // The SDK retried a CreateMultipartUpload whose response was lost: S3 holds an upload nobody recorded.
        store.create(ExportKeys.objectKey(job), new MultipartStore.ObjectInfo("text/plain", "attachment", Map.of()));

        finishFrom(Checkpoint.initial(GeneratedJob.CREATED.toEpochMilli()));

        assertNothingLeft();
    }

    private Checkpoint pausedHop(Checkpoint from) {
        InvocationResult result = invocation(HOP).run(from);
        assertThat(result).isInstanceOf(InvocationResult.Paused.class);
        Checkpoint next = ((InvocationResult.Paused) result).checkpoint().nextContinuation();
        assertThat(next.stashEtag()).as("the hop left a working object").isNotNull();
        return CheckpointCodec.decode(CheckpointCodec.encode(next));
    }

    private void killedAfter(String operation, Checkpoint from, Duration budget) {
        store.afterCall(op -> {
            if (op.equals(operation)) {
                throw new Killed(op);
            }
        });
        assertThatThrownBy(() -> invocation(budget).run(from)).isInstanceOf(Killed.class);
        store.afterCall(op -> { });
    }

    /** The redelivered message: hops from {@code from} until the export finishes. */
    private InvocationResult.Finished finishFrom(Checkpoint from) {
        Checkpoint cp = from;
        for (int hop = 0; hop < 100; hop++) {
            InvocationResult result = invocation(HOP).run(cp);
            if (result instanceof InvocationResult.Finished f) {
                return f;
            }
            assertThat(result).isInstanceOf(InvocationResult.Paused.class);
            cp = CheckpointCodec.decode(CheckpointCodec.encode(
                    ((InvocationResult.Paused) result).checkpoint().nextContinuation()));
        }
        throw new AssertionError("the export makes no progress after the crash");
    }

    private void assertNothingLeft() {
        assertThat(store.openUploads()).as("incomplete uploads").isZero();
        assertThat(store.stashCount()).as("working objects").isZero();
    }

    private ExportInvocation invocation(Duration budget) {
        Deadline deadline = new Deadline(clock, clock.instant().plus(budget));
        Deadline hard = new Deadline(clock, clock.instant().plus(budget).plusSeconds(60));
        Retries retries = new Retries(new Retrier(deadline, () -> { }, clock::advance, Retrier.RetryListener.NONE),
                new Retrier(hard, () -> { }, clock::advance, Retrier.RetryListener.NONE));
        return new ExportInvocation(job, new LogGroup("/aws/sagemaker/TrainingJobs", source),
                new ExportBucket("bucket", store, PARTS), retries, ledger);
    }
}
