package com.mlplatform.logexport.worker.run;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportResult;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
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
import com.mlplatform.logexport.worker.upload.PartSizePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One invocation's share of an export: list the streams (first hop), then merge and upload until the export is
 * complete or the time budget is spent, and say which (see {@link HopResult}). Knows nothing of SQS or Lambda;
 * all AWS access goes through {@link LogSource} and {@link MultipartStore}, which tests satisfy in memory.
 */
public final class ExportHop {

    /** Between events, how often to look at the clock and the progress throttle. */
    static final int CHECK_EVERY_EVENTS = 256;
    /** Events buffered per stream are bounded by this budget across streams (each page is also ≤ 1 MB on AWS). */
    static final int PAGE_EVENTS_BUDGET = 200_000;
    static final int MAX_PAGE_EVENTS = 10_000;
    static final int MIN_PAGE_EVENTS = 100;

    private final ExportJob job;
    private final String logGroup;
    private final LogSource source;
    private final MultipartStore store;
    private final String bucket;
    private final PartSizePolicy partSizes;
    private final Retrier retrier;
    private final Retrier pauseRetrier;
    private final HopLedger ledger;

    /**
     * @param retrier      for the work itself: gives up (OutOfTime) at the soft deadline
     * @param pauseRetrier for saving a checkpoint: may use the time between the soft and the hard deadline
     */
    public ExportHop(ExportJob job, String logGroup, LogSource source, MultipartStore store, String bucket,
                     PartSizePolicy partSizes, Retrier retrier, Retrier pauseRetrier, HopLedger ledger) {
        this.job = job;
        this.logGroup = logGroup;
        this.source = source;
        this.store = store;
        this.bucket = bucket;
        this.partSizes = partSizes;
        this.retrier = retrier;
        this.pauseRetrier = pauseRetrier;
        this.ledger = ledger;
    }

    public static String filename(ExportJob job) {
        return DownloadName.filename(job.trainingId(), job.createdAt(), job.options().format());
    }

    /** Deterministic per export, so a redelivery overwrites rather than duplicates. */
    public static String objectKey(ExportJob job) {
        return "exports/" + job.usecaseId() + "/" + job.exportId() + "/" + DownloadName.asciiFallback(filename(job));
    }

    /** The working object holding a paused export's unfinished parts. */
    public static String stashKey(ExportJob job) {
        return "work/" + job.usecaseId() + "/" + job.exportId() + "/checkpoint-parts";
    }

    public HopResult run(Checkpoint start) {
        Checkpoint cp = start;
        if (cp.streams() == null) {
            List<String> names = retrier.call(() -> source.streamNames(job.trainingId() + "/"));
            if (names.isEmpty()) {
                throw JobFailure.noLogs(job.trainingId(), logGroup);
            }
            cp = cp.withStreams(names.stream().map(StreamCursor.Position::start).toList());
        }
        String key = objectKey(job);
        if (cp.uploadId() == null) {
            String filename = filename(job);
            String uploadId = retrier.call(() -> store.create(key, new MultipartStore.ObjectInfo(
                    job.options().format().contentType(), DownloadName.contentDisposition(filename),
                    Map.of("export-id", job.exportId()))));
            cp = cp.withUpload(uploadId, MultipartWriter.State.EMPTY, null);
            // Durable before any part is uploaded: a crash now must not leave an upload nobody knows about.
            ledger.persist(cp, new Progress(cp.streams().size(), 0, 0, 0));
        }
        try {
            return merge(cp, key);
        } catch (UploadGone e) {
            return finishedEarlier(cp, key, e);
        } catch (JobChanged e) {
            if (e.cancelled()) {
                cleanUp(cp, key);
                return new HopResult.Cancelled(job.progress());
            }
            throw e;
        } catch (JobFailure e) {
            cleanUp(cp, key);
            throw e;
        } catch (OutOfTime e) {
            throw e;
        } catch (RuntimeException e) {
            // Unexpected: the job becomes FAILED (INTERNAL), so its upload must not linger either.
            cleanUp(cp, key);
            throw e;
        }
    }

    private HopResult merge(Checkpoint cp, String key) {
        Checkpoint current = cp;
        MultipartWriter writer = openWriter(current, key);
        List<StreamCursor.Position> positions = current.streams();
        TimeWindow window = new TimeWindow(job.options().startTime(), job.options().endTime());
        int limit = pageLimit(positions.size());
        boolean[] progressed = {false};
        PageFetcher fetcher = (stream, token, refetch) -> {
            // Past the deadline, stop before moving to a new page, but only once this hop has moved the export on
            // (written an event or reached a new page; re-reading the checkpoint's pages does not count): however
            // small the budget, every invocation makes progress, so continuations always converge.
            if (!refetch && progressed[0] && retrier.deadline().isPassed()) {
                throw new OutOfTime("deadline reached", null);
            }
            var page = retrier.call(() -> source.page(stream, token, window, limit));
            progressed[0] |= !refetch;
            return page;
        };
        KWayMerge merge = new KWayMerge(positions, fetcher);
        LogFileFormat format = LogFileFormat.of(job.options().format());
        List<String> names = positions.stream().map(StreamCursor.Position::name).toList();
        List<String> labels = HostLabels.of(names);
        Map<StreamCursor, LogFileFormat.StreamStyle> styles = new IdentityHashMap<>();
        for (int i = 0; i < merge.cursors().size(); i++) {
            styles.put(merge.cursors().get(i), format.styleFor(names.get(i), labels.get(i)));
        }
        Span span = new Span(current.firstEvent(), current.lastEvent());
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
                ledger.progress(progressOf(merge, writer.bodyBytes()));
                return false;
            });
        } catch (OutOfTime e) {
            complete = false;
        }
        if (!complete) {
            return pause(current, merge, writer, span, false);
        }
        if (merge.cursors().stream().mapToLong(StreamCursor::events).sum() == 0) {
            cleanUp(current, key);
            throw job.options().startTime() != null || job.options().endTime() != null
                    ? JobFailure.noLogsInRange(job.trainingId()) : JobFailure.noEvents(job.trainingId());
        }
        ExportSummary summary = summary(current, merge, labels, span);
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
        deleteStash(current);
        Progress done = progressOf(merge, writer.bodyBytes());
        return new HopResult.Finished(new ExportResult(bucket, key, filename(job),
                job.options().format().contentType(), size), done);
    }

    private MultipartWriter openWriter(Checkpoint cp, String key) {
        MultipartWriter.State state = Objects.requireNonNull(cp.upload(), "upload state");
        if (cp.stashEtag() == null) {
            return MultipartWriter.resume(store, key, cp.uploadId(), partSizes, retrier, state, new byte[0]);
        }
        byte[] stash = retrier.call(() -> store.getStash(stashKey(job), cp.stashEtag()));
        return MultipartWriter.resume(store, key, cp.uploadId(), partSizes, retrier, state, stash);
    }

    private HopResult pause(Checkpoint cp, KWayMerge merge, MultipartWriter writer, Span span, boolean footer) {
        MultipartWriter.State state = writer.state();
        String etag = state.headLength() + state.tailLength() == 0 ? null
                : pauseRetrier.call(() -> store.putStash(stashKey(job), writer.stash()));
        Checkpoint next = cp.withProgress(merge.positions(), state, etag, span.first, span.last, footer);
        return new HopResult.Paused(next, progressOf(merge, writer.bodyBytes()));
    }

    /** UploadGone: if an earlier attempt completed the object before it could record success, adopt it. */
    private HopResult finishedEarlier(Checkpoint cp, String key, UploadGone e) {
        OptionalLong size = retrier.call(() -> store.size(key));
        if (size.isEmpty()) {
            throw new JobFailure(ErrorCode.INTERNAL, "The export's upload expired before it could finish. "
                    + "Start the export again.");
        }
        deleteStash(cp);
        Progress p = job.progress();
        return new HopResult.Finished(new ExportResult(bucket, key, filename(job),
                job.options().format().contentType(), size.getAsLong()), p);
    }

    /** Aborts the upload (no orphan parts) and deletes the working object. Best effort: the bucket's lifecycle
     * rule aborts incomplete uploads after a day anyway. */
    private void cleanUp(Checkpoint cp, String key) {
        if (cp.uploadId() != null) {
            try {
                pauseRetrier.run(() -> store.abort(key, cp.uploadId()));
            } catch (RuntimeException ignored) {
                // lifecycle rule is the backstop
            }
        }
        deleteStash(cp);
    }

    private void deleteStash(Checkpoint cp) {
        if (cp.stashEtag() != null) {
            try {
                pauseRetrier.run(() -> store.delete(stashKey(job)));
            } catch (RuntimeException ignored) {
                // lifecycle rule is the backstop
            }
        }
    }

    private ExportSummary summary(Checkpoint cp, KWayMerge merge, List<String> labels, Span span) {
        List<ExportSummary.StreamCount> counts = new ArrayList<>();
        for (int i = 0; i < merge.cursors().size(); i++) {
            StreamCursor c = merge.cursors().get(i);
            counts.add(new ExportSummary.StreamCount(c.name(), labels.get(i), c.events()));
        }
        // "Generated at" is the export's request time, not the wall clock of the last hop: the file is then a pure
        // function of the job and its logs, and a resumed export is byte-identical to an uninterrupted one.
        return new ExportSummary(job.trainingId(), job.usecaseId(), job.exportId(), job.requestedBy(),
                job.createdAt(), job.options().startTime(), job.options().endTime(),
                span.first, span.last, counts);
    }

    static int pageLimit(int streams) {
        int perStream = PAGE_EVENTS_BUDGET / Math.max(1, streams);
        return Math.max(MIN_PAGE_EVENTS, Math.min(MAX_PAGE_EVENTS, perStream));
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

    private Progress progressOf(KWayMerge merge, long bytes) {
        int done = (int) merge.cursors().stream().filter(StreamCursor::isDone).count();
        long events = merge.cursors().stream().mapToLong(StreamCursor::events).sum();
        return new Progress(merge.cursors().size(), done, events, bytes);
    }

    /** Earliest and latest event timestamps written: the header's "time range". */
    private static final class Span {
        Long first;
        Long last;

        Span(Long first, Long last) {
            this.first = first;
            this.last = last;
        }

        void add(LogEvent e) {
            if (first == null || e.timestamp() < first) {
                first = e.timestamp();
            }
            if (last == null || e.timestamp() > last) {
                last = e.timestamp();
            }
        }
    }
}
