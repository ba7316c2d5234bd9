package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.worker.invocation.ExportKeys;
import com.mlplatform.logexport.shared.config.PlatformResources;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.checkpoint.CheckpointCodec;
import com.mlplatform.logexport.worker.checkpoint.Lease;
import com.mlplatform.logexport.worker.upload.MultipartWriter;
import com.mlplatform.logexport.shared.events.Completions;
import com.mlplatform.logexport.shared.events.RecordingCompletionEvents;
import com.mlplatform.logexport.shared.metrics.ExportMetrics;
import com.mlplatform.logexport.shared.metrics.MetricsLog;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The reconciler over in-memory ports, and the worker's side of the story told by hand: a test creates exports
 * and lets workers claim, pause, start uploads and die, then runs the reconciler at chosen times.
 */
final class ReconcilerWorld {

    static final String USECASE = "uc-a";
    /** The worker's lease: its timeout (900 s) plus its grace (30 s). */
    static final Duration LEASE = Duration.ofSeconds(930);

    final InMemoryExports exports = new InMemoryExports();
    final InMemoryMarks marks = new InMemoryMarks();
    final RecordingQueue queue = new RecordingQueue();
    final InMemoryBucket bucket = new InMemoryBucket();
    final RecordingCompletionEvents events = new RecordingCompletionEvents();
    final ByteArrayOutputStream metrics = new ByteArrayOutputStream();
    final ReconcilerConfig config;
    final Reconciler reconciler;
    private int claims;

    ReconcilerWorld() {
        this(ReconcilerConfig.defaults(new PlatformResources("exports", "usecases", "queue", "bucket")));
    }

    ReconcilerWorld(ReconcilerConfig config) {
        this.config = config;
        this.reconciler = new Reconciler(exports, exports, marks, queue, bucket, config, quietLog(), completions());
    }

    /** Completion events to {@link #events}, metrics to {@link #metrics}. */
    Completions completions() {
        return new Completions(events, new ExportMetrics(new MetricsLog(new PrintStream(metrics, true,
                StandardCharsets.UTF_8), Clock.systemUTC())), quietLog());
    }

    static StructuredLog quietLog() {
        return new StructuredLog("export-reconciler", new PrintStream(OutputStream.nullOutputStream()));
    }

    ReconcileReport run(Instant now) {
        return reconciler.runOnce(now);
    }

    ExportJob queued(Instant createdAt) {
        ExportJob job = ExportJob.queued(ExportIds.newExportId(), USECASE, "train-1", "alice", ExportOptions.DEFAULT,
                null, createdAt);
        exports.put(job);
        return job;
    }

    ExportJob job(ExportJob job) {
        return exports.job(job.exportId());
    }

    static Checkpoint checkpoint(ExportJob job) {
        return CheckpointCodec.decode(job.checkpoint());
    }

    /** A worker claims the job at {@code at}: RUNNING, leased to a new owner. */
    ExportJob claim(ExportJob job, Instant at) {
        ExportJob current = job(job);
        Checkpoint cp = current.checkpoint() == null ? Checkpoint.initial(at.toEpochMilli()) : checkpoint(current);
        return write(current, ExportStatus.RUNNING, cp.withLease(new Lease("invocation-" + (++claims),
                at.plus(LEASE).toEpochMilli())), at);
    }

    /** The holder starts the upload (and a working object) and saves that in its checkpoint: durable progress. */
    ExportJob startUpload(ExportJob job, Instant at) {
        ExportJob current = job(job);
        String key = ExportKeys.exportPrefix(current.usecaseId(), current.exportId()) + "train-1.log";
        bucket.openUpload(key, "upload-" + current.exportId(), at);
        bucket.putObject(ExportKeys.workPrefix(current.usecaseId(), current.exportId()) + "checkpoint-parts", at);
        return write(current, ExportStatus.RUNNING,
                checkpoint(current).withUpload("upload-" + current.exportId(), MultipartWriter.State.EMPTY, null), at);
    }

    /** The holder pauses: next hop, lease released, continuation sent (which a test may then lose). */
    ExportJob pause(ExportJob job, Instant at) {
        ExportJob current = job(job);
        return write(current, ExportStatus.RUNNING, checkpoint(current).nextContinuation().markContinuationSent(), at);
    }

    /** A write by the worker that changes nothing durable (e.g. progress counters). */
    ExportJob touch(ExportJob job, Instant at) {
        ExportJob current = job(job);
        return write(current, current.status(), checkpoint(current), at);
    }

    ExportJob finish(ExportJob job, ExportStatus status, Instant at) {
        ExportJob current = job(job);
        return write(current, status, null, at);
    }

    private ExportJob write(ExportJob current, ExportStatus status, Checkpoint cp, Instant at) {
        ExportJob updated = new ExportJob(current.exportId(), current.usecaseId(), current.trainingId(),
                current.requestedBy(), current.options(), status, current.createdAt(), at, current.batchId(),
                Progress.NONE, null, null, cp == null ? null : CheckpointCodec.encode(cp), current.version() + 1);
        exports.put(updated);
        return updated;
    }
}
