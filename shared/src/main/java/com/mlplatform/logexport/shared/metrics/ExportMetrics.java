package com.mlplatform.logexport.shared.metrics;

import com.mlplatform.logexport.shared.events.ExportFinished;
import com.mlplatform.logexport.shared.metrics.MetricsLog.Dimensions;
import com.mlplatform.logexport.shared.metrics.MetricsLog.Metric;
import com.mlplatform.logexport.shared.metrics.MetricsLog.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every metric of the pipeline, by name, unit and dimensions (docs/deploy.md lists what each means). The callers
 * say what happened in domain terms; only this class knows metric names.
 */
public final class ExportMetrics {

    public static final String EXPORTS_ACCEPTED = "ExportsAccepted";
    public static final String EXPORTS_FINISHED = "ExportsFinished";
    public static final String EXPORT_DURATION = "ExportDuration";
    public static final String TIME_IN_QUEUE = "TimeInQueue";
    public static final String BYTES_WRITTEN = "BytesWritten";
    public static final String EVENTS_WRITTEN = "EventsWritten";
    public static final String CONTINUATIONS = "Continuations";
    public static final String PAGES_READ = "PagesRead";
    public static final String AWS_RETRIES = "AwsRetries";
    public static final String RECONCILER_REDRIVES = "ReconcilerRedrives";
    public static final String RECONCILER_FAILS = "ReconcilerFails";
    public static final String COMPLETION_EVENTS_NOT_PUT = "CompletionEventsNotPut";

    /** The ErrorCode dimension's value for an export that did not fail. */
    public static final String NO_ERROR = "NONE";

    private final MetricsLog out;

    public ExportMetrics(MetricsLog out) {
        this.out = out;
    }

    /** New exports accepted by one request (reused in-flight ones are not new). */
    public void accepted(boolean batch, int created) {
        if (created > 0) {
            out.put(new Dimensions(Map.of("Kind", batch ? "batch" : "single"), List.of(List.of(), List.of("Kind"))),
                    List.of(new Metric(EXPORTS_ACCEPTED, created, Unit.COUNT)));
        }
    }

    /** An export reached its terminal state; counted by the writer of that state only, so once per export. */
    public void finished(ExportFinished event, Instant acceptedAt) {
        Dimensions dims = new Dimensions(Map.of("Status", event.status().name(),
                "ErrorCode", event.errorCode() == null ? NO_ERROR : event.errorCode()),
                List.of(List.of(), List.of("Status"), List.of("Status", "ErrorCode")));
        out.put(dims, List.of(new Metric(EXPORTS_FINISHED, 1, Unit.COUNT),
                new Metric(EXPORT_DURATION, millis(acceptedAt, event.finishedAt()), Unit.MILLISECONDS)));
    }

    /**
     * What the worker knows of an export it finished: how long it waited for its first claim, how many
     * continuations it took, and for a SUCCEEDED one what it wrote.
     */
    public void delivered(ExportFinished event, Instant acceptedAt, Instant firstClaimedAt, int continuations) {
        List<Metric> metrics = new ArrayList<>(List.of(
                new Metric(TIME_IN_QUEUE, millis(acceptedAt, firstClaimedAt), Unit.MILLISECONDS),
                new Metric(CONTINUATIONS, continuations, Unit.COUNT)));
        if (event.sizeBytes() != null) {
            metrics.add(new Metric(BYTES_WRITTEN, event.sizeBytes(), Unit.BYTES));
            metrics.add(new Metric(EVENTS_WRITTEN, event.eventCount(), Unit.COUNT));
        }
        out.put(Dimensions.NONE, metrics);
    }

    /** GetLogEvents pages one invocation read. */
    public void pagesRead(long pages) {
        if (pages > 0) {
            out.put(Dimensions.NONE, List.of(new Metric(PAGES_READ, pages, Unit.COUNT)));
        }
    }

    /**
     * One of our retries of an AWS call (the SDK's own retries come before and are not seen here).
     *
     * @param service the AWS service, e.g. {@code CloudWatchLogs}
     * @param kind    why: {@code THROTTLED}, {@code SERVER_ERROR}, {@code NETWORK}, {@code UNPROCESSED} (batch items)
     */
    public void retried(String service, String kind) {
        out.put(new Dimensions(Map.of("AwsService", service, "Kind", kind),
                        List.of(List.of("AwsService"), List.of("AwsService", "Kind"))),
                List.of(new Metric(AWS_RETRIES, 1, Unit.COUNT)));
    }

    /** One reconciler run's re-drives and fails. */
    public void reconciled(int redrives, int fails) {
        out.put(Dimensions.NONE, List.of(new Metric(RECONCILER_REDRIVES, redrives, Unit.COUNT),
                new Metric(RECONCILER_FAILS, fails, Unit.COUNT)));
    }

    /** A completion event that could not be put on the bus (after the SDK's retries). */
    public void completionEventNotPut() {
        out.put(Dimensions.NONE, List.of(new Metric(COMPLETION_EVENTS_NOT_PUT, 1, Unit.COUNT)));
    }

    private static long millis(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis());
    }
}
