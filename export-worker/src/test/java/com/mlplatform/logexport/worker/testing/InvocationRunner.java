package com.mlplatform.logexport.worker.testing;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.checkpoint.CheckpointCodec;
import com.mlplatform.logexport.worker.failure.Retrier;
import com.mlplatform.logexport.worker.invocation.ExportBucket;
import com.mlplatform.logexport.worker.invocation.ExportInvocation;
import com.mlplatform.logexport.worker.invocation.InvocationResult;
import com.mlplatform.logexport.worker.invocation.LogGroup;
import com.mlplatform.logexport.worker.invocation.Retries;
import com.mlplatform.logexport.worker.logs.LogSource;
import com.mlplatform.logexport.worker.time.Deadline;
import com.mlplatform.logexport.worker.upload.PartSizePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs an export invocation after invocation, the way continuations do, with every checkpoint passing through the
 * job record's string form in between. Time is a {@link ManualClock}; backoff sleeps advance it instead of sleeping.
 */
public record InvocationRunner(ManualClock clock, InMemoryMultipartStore store, PartSizePolicy partSizes) {

    private static final String LOG_GROUP = "/aws/sagemaker/TrainingJobs";

    /** {@code checkpoints}: every paused invocation's checkpoint, in the job record's string form. */
    public record Outcome(InvocationResult last, int invocations, byte[] file, RecordingLedger ledger,
                          List<String> checkpoints) {
    }

    public Outcome run(ExportJob job, LogSource source, Duration budgetPerInvocation) {
        return run(job, source, budgetPerInvocation, new RecordingLedger());
    }

    public Outcome run(ExportJob job, LogSource source, Duration budgetPerInvocation, RecordingLedger ledger) {
        return run(job, () -> source, budgetPerInvocation, ledger);
    }

    /** Each invocation reads through its own source, closed when it ends, as {@code ExportRunner} does. */
    public Outcome run(ExportJob job, Supplier<LogSource> sourcePerInvocation, Duration budgetPerInvocation,
                       RecordingLedger ledger) {
        Checkpoint cp = Checkpoint.initial(job.createdAt().toEpochMilli());
        List<String> checkpoints = new ArrayList<>();
        int invocations = 0;
        while (true) {
            invocations++;
            if (invocations > 100_000) {
                throw new AssertionError("export does not converge");
            }
            Deadline deadline = new Deadline(clock, clock.instant().plus(budgetPerInvocation));
            Deadline hard = new Deadline(clock, clock.instant().plus(budgetPerInvocation).plusSeconds(60));
            Retries retries = new Retries(
                    new Retrier(deadline, () -> { }, clock::advance, Retrier.RetryListener.NONE),
                    new Retrier(hard, () -> { }, clock::advance, Retrier.RetryListener.NONE));
            LogSource source = sourcePerInvocation.get();
            ExportInvocation invocation = new ExportInvocation(job, new LogGroup(LOG_GROUP, source),
                    new ExportBucket("bucket", store, partSizes), retries, ledger);
            InvocationResult result;
            try {
                result = invocation.run(cp);
            } finally {
                close(source);
            }
            if (result instanceof InvocationResult.Paused p) {
                String encoded = CheckpointCodec.encode(p.checkpoint().nextContinuation());
                checkpoints.add(encoded);
                cp = CheckpointCodec.decode(encoded);
                continue;
            }
            byte[] file = result instanceof InvocationResult.Finished f ? store.object(f.result().key()) : null;
            return new Outcome(result, invocations, file, ledger, List.copyOf(checkpoints));
        }
    }

    /** A read-ahead (or a source holding one): cancel what is still being read, as {@code ExportRunner} does. */
    private static void close(LogSource source) {
        if (source instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
