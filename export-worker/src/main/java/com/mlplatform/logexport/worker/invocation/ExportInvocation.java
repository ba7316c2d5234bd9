package com.mlplatform.logexport.worker.invocation;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportResult;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.failure.Disposition;
import com.mlplatform.logexport.worker.failure.JobFailure;
import com.mlplatform.logexport.worker.failure.OutOfTime;
import com.mlplatform.logexport.worker.failure.Retrier;
import com.mlplatform.logexport.worker.failure.UploadGone;
import com.mlplatform.logexport.worker.format.DownloadName;
import com.mlplatform.logexport.worker.format.ExportSummary;
import com.mlplatform.logexport.worker.format.HostLabels;
import com.mlplatform.logexport.worker.format.LogFileFormat;
import com.mlplatform.logexport.worker.logs.LogEvent;
import com.mlplatform.logexport.worker.logs.LogSource;
import com.mlplatform.logexport.worker.logs.TimeWindow;
import com.mlplatform.logexport.worker.merge.KWayMerge;
import com.mlplatform.logexport.worker.merge.PageFetcher;
import com.mlplatform.logexport.worker.merge.StreamCursor;
import com.mlplatform.logexport.worker.upload.MultipartStore;
import com.mlplatform.logexport.worker.upload.MultipartWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An export invocation: one Lambda invocation's share of an export. Lists the streams (first invocation), then
 * merges and uploads until the export is complete or the time budget is spent, and says which (see
 * {@link InvocationResult}). Knows nothing of SQS or Lambda; all AWS access goes through {@link LogSource} and
 * {@link MultipartStore}, which tests satisfy in memory.
 */
public final class ExportInvocation {

    /** Between events, how often to look at the clock and the progress throttle. */
    static final int CHECK_EVERY_EVENTS = 256;

    private final ExportJob job;
    private final LogGroup logs;
    private final ExportBucket bucket;
    private final MultipartStore store;
    private final Retrier retrier;
    private final Retrier pauseRetrier;
    private final InvocationLedger ledger;
    private final WorkSweep sweep;

    public ExportInvocation(ExportJob job, LogGroup logs, ExportBucket bucket, Retries retries,
                            InvocationLedger ledger) {
        this.job = job;
        this.logs = logs;
        this.bucket = bucket;
        this.store = bucket.store();
        this.retrier = retries.work();
        this.pauseRetrier = retries.pause();
        this.sweep = new WorkSweep(job, store, pauseRetrier);
        this.ledger = ledger;
    }

    public InvocationResult run(Checkpoint start) {
        Checkpoint cp = start;
        if (cp.streams() == null) {
            List<String> names = retrier.call(() -> logs.source().streamNames(job.trainingId() + "/"));
            if (names.isEmpty()) {
                throw JobFailure.noLogs(job.trainingId(), logs.name());
            }
            cp = cp.withStreams(names.stream().map(StreamCursor.Position::start).toList());
        }
        String key = ExportKeys.objectKey(job);
        if (cp.uploadId() != null) {
            // Before merging anything, the upload's state: an attempt that completed it and died before recording
            // SUCCEEDED left the finished object (adopt it); an upload aborted since the last invocation (the
            // bucket's lifecycle rule, an operator) means starting again from the first event.
            String uploadId = cp.uploadId();
            if (!retrier.call(() -> store.isOpen(key, uploadId))) {
                return finishedEarlier(cp, key);
            }
        }
        if (cp.uploadId() == null) {
            String filename = ExportKeys.filename(job);
            String uploadId = retrier.call(() -> store.create(key, new MultipartStore.ObjectInfo(
                    job.options().contentType(), DownloadName.contentDisposition(filename),
                    Map.of("export-id", job.exportId()))));
            cp = cp.withUpload(uploadId, MultipartWriter.State.EMPTY, null);
            // Durable before any part is uploaded: a crash now must not leave an upload nobody knows about.
            ledger.persist(cp, new Progress(cp.streams().size(), 0, 0, 0));
        }
        try {
            return merge(cp, key);
        } catch (UploadGone e) {
            return finishedEarlier(cp, key);
        } catch (JobChanged e) {
            if (e.cancelled()) {
                sweep.cleanUp(cp.uploadId(), key);
                return new InvocationResult.Cancelled(job.progress());
            }
            throw e;
        } catch (RuntimeException e) {
            // A failure that ends the export (the job becomes FAILED) must not leave its upload behind; a transient
            // one (the message is delivered again) keeps it for the redelivery.
            if (Disposition.of(e).endsExport()) {
                sweep.cleanUp(cp.uploadId(), key);
            }
            throw e;
        }
    }

    private InvocationResult merge(Checkpoint cp, String key) {
        Checkpoint current = cp;
        MultipartWriter writer = openWriter(current, key);
        List<StreamCursor.Position> positions = current.streams();
        TimeWindow window = new TimeWindow(job.options().startTime(), job.options().endTime());
        int limit = KWayMerge.pageLimit(positions.size());
        boolean[] progressed = {false};
        PageFetcher fetcher = (stream, token, refetch) -> {
            // Past the deadline, stop before moving to a new page, but only once this invocation has moved the
            // export on (written an event or reached a new page; re-reading the checkpoint's pages does not count):
            // however small the budget, every invocation makes progress, so continuations always converge.
            if (!refetch && progressed[0] && retrier.deadline().isPassed()) {
                throw new OutOfTime("deadline reached", null);
            }
            var page = retrier.call(() -> logs.source().page(stream, token, window, limit));
            progressed[0] |= !refetch;
            return page;
        };
        KWayMerge merge = new KWayMerge(positions, fetcher,
                (stream, token) -> logs.source().prefetch(stream, token, window, limit));
        LogFileFormat format = LogFileFormat.of(job.options().format());
        List<String> names = positions.stream().map(StreamCursor.Position::name).toList();
        List<String> labels = HostLabels.of(names);
        Map<StreamCursor, LogFileFormat.StreamStyle> styles = new IdentityHashMap<>();
        for (int i = 0; i < merge.cursors().size(); i++) {
            styles.put(merge.cursors().get(i), format.styleFor(names.get(i), labels.get(i)));
        }
        EventSpan span = new EventSpan(current.firstEvent(), current.lastEvent());
        int[] sinceCheck = {0};

        boolean complete;
        try {
            complete = merge.run((stream, event) -> {
                writer.cutIfFull();
                write(format, styles.get(stream), event, writer);
                span.add(event);
                progressed[0] = true;
            }, () -> {
                if (++sinceCheck[0] < CHECK_EVERY_EVENTS) {
                    return false;
                }
                sinceCheck[0] = 0;
                if (retrier.deadline().isPassed()) {
                    return true;
                }
                ledger.progress(MergeReport.progress(merge, writer.bodyBytes()));
                return false;
            });
        } catch (OutOfTime e) {
            complete = false;
        }
        if (!complete) {
            return pause(current, merge, writer, span, false);
        }
        if (merge.cursors().stream().mapToLong(StreamCursor::events).sum() == 0) {
            sweep.cleanUp(current.uploadId(), key);
            throw job.options().startTime() != null || job.options().endTime() != null
                    ? JobFailure.noLogsInRange(job.trainingId()) : JobFailure.noEvents(job.trainingId());
        }
        ExportSummary summary = MergeReport.summary(job, merge, labels, span);
        boolean footer = current.footerWritten();
        long size;
        try {
            if (!footer) {
                writeBytes(writer, format.footer(summary));
                footer = true;
            }
            size = writer.finish(format.header(summary));
        } catch (OutOfTime e) {
            return pause(current, merge, writer, span, footer);
        }
        return finished(key, size, MergeReport.progress(merge, writer.bodyBytes()));
    }

    private MultipartWriter openWriter(Checkpoint cp, String key) {
        MultipartWriter.State state = Objects.requireNonNull(cp.upload(), "upload state");
        String stashKey = ExportKeys.stashKey(job, state.bodyBytes());
        byte[] stash = cp.stashEtag() == null ? new byte[0]
                : retrier.call(() -> store.getStash(stashKey, cp.stashEtag()));
        // Any other working object is the previous hop's, or one a hop wrote before dying unsaved.
        sweep.deleteWorkObjectsBut(cp.stashEtag() == null ? null : stashKey);
        return MultipartWriter.resume(store, key, cp.uploadId(), bucket.partSizes(), retrier, state, stash,
                job.options().compression());
    }

    private InvocationResult pause(Checkpoint cp, KWayMerge merge, MultipartWriter writer, EventSpan span,
                                   boolean footer) {
        MultipartWriter.State state = writer.state();
        String etag = state.headLength() + state.tailLength() == 0 ? null
                : pauseRetrier.call(() -> store.putStash(ExportKeys.stashKey(job, state.bodyBytes()), writer.stash()));
        Checkpoint next = cp.withProgress(merge.positions(), state, etag, span.first, span.last, footer);
        return new InvocationResult.Paused(next, MergeReport.progress(merge, writer.bodyBytes()));
    }

    /**
     * The upload no longer accepts parts. If an earlier attempt completed the object before it could record
     * success (perhaps after deleting the working object), adopt it. Otherwise the upload was aborted under us: start
     * it again from the first event. The file is a function of the streams alone, so the new upload's bytes are the
     * same.
     */
    private InvocationResult finishedEarlier(Checkpoint cp, String key) {
        OptionalLong size = retrier.call(() -> store.size(key));
        if (size.isEmpty()) {
            return restart(cp);
        }
        return finished(key, size.getAsLong(), job.progress());
    }

    /** Back to the listed streams' first events, with no upload: the next invocation creates a new one. */
    private InvocationResult restart(Checkpoint cp) {
        List<StreamCursor.Position> start = cp.streams().stream().map(p -> StreamCursor.Position.start(p.name()))
                .toList();
        Checkpoint fresh = cp.withUpload(null, null, null).withProgress(start, null, null, null, null, false);
        return new InvocationResult.Paused(fresh, new Progress(start.size(), 0, 0, 0));
    }

    /** The file is complete: nothing of the export's work may remain (see {@link WorkSweep}). */
    private InvocationResult finished(String key, long size, Progress progress) {
        sweep.removeLeftovers();
        return new InvocationResult.Finished(new ExportResult(bucket.name(), key, ExportKeys.filename(job),
                job.options().contentType(), size), progress);
    }

    private static void write(LogFileFormat format, LogFileFormat.StreamStyle style, LogEvent e,
                              MultipartWriter out) {
        try {
            format.writeEvent(style, e, out);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void writeBytes(MultipartWriter out, byte[] bytes) {
        out.cutIfFull();
        out.write(bytes, 0, bytes.length);
    }
}
