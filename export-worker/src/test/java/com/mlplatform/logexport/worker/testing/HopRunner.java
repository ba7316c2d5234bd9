package com.mlplatform.logexport.worker.testing;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.checkpoint.CheckpointCodec;
import com.mlplatform.logexport.worker.failure.Retrier;
import com.mlplatform.logexport.worker.logs.LogSource;
import com.mlplatform.logexport.worker.run.ExportHop;
import com.mlplatform.logexport.worker.run.HopResult;
import com.mlplatform.logexport.worker.time.Deadline;
import com.mlplatform.logexport.worker.upload.PartSizePolicy;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Runs an export hop after hop, the way continuations do, with every checkpoint passing through the job record's
 * string form in between. Time is a {@link ManualClock}; backoff sleeps advance it instead of sleeping.
 */
public final class HopRunner {

    public record Outcome(HopResult last, int hops, byte[] file, RecordingLedger ledger) {
    }

    private final ManualClock clock;
    private final InMemoryMultipartStore store;
    private final PartSizePolicy partSizes;

    public HopRunner(ManualClock clock, InMemoryMultipartStore store, PartSizePolicy partSizes) {
        this.clock = clock;
        this.store = store;
        this.partSizes = partSizes;
    }

    public Outcome run(ExportJob job, LogSource source, Duration budgetPerHop) {
        return run(job, source, budgetPerHop, new RecordingLedger());
    }

    public Outcome run(ExportJob job, LogSource source, Duration budgetPerHop, RecordingLedger ledger) {
        Checkpoint cp = Checkpoint.initial(job.createdAt().toEpochMilli());
        int hops = 0;
        while (true) {
            hops++;
            if (hops > 100_000) {
                throw new AssertionError("export does not converge");
            }
            Deadline deadline = new Deadline(clock, clock.instant().plus(budgetPerHop));
            Deadline hard = new Deadline(clock, clock.instant().plus(budgetPerHop).plusSeconds(60));
            Retrier work = new Retrier(deadline, () -> { }, RandomGenerator.of("L64X128MixRandom"),
                    ms -> clock.advance(Duration.ofMillis(ms)), Retrier.RetryListener.NONE);
            Retrier pause = new Retrier(hard, () -> { }, RandomGenerator.of("L64X128MixRandom"),
                    ms -> clock.advance(Duration.ofMillis(ms)), Retrier.RetryListener.NONE);
            ExportHop hop = new ExportHop(job, "/aws/sagemaker/TrainingJobs", source, store, "bucket", partSizes,
                    work, pause, ledger);
            HopResult result = hop.run(cp);
            if (result instanceof HopResult.Paused p) {
                cp = CheckpointCodec.decode(CheckpointCodec.encode(p.checkpoint().nextHop()));
                continue;
            }
            byte[] file = result instanceof HopResult.Finished f ? store.object(f.result().key()) : null;
            return new Outcome(result, hops, file, ledger);
        }
    }
}
