package com.mlplatform.logexport.worker.events;

import com.mlplatform.logexport.shared.metrics.ExportMetrics;
import com.mlplatform.logexport.worker.failure.Retrier;
import com.mlplatform.logexport.worker.logs.LogPage;
import com.mlplatform.logexport.worker.logs.LogSource;
import com.mlplatform.logexport.worker.logs.TimeWindow;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One invocation's pages read and retries, as metrics: pages are summed and written once at the end of the
 * invocation ({@link #flush}), not a log line per page; each retry is written when it happens (they are rare, and
 * a throttling storm should show while it lasts).
 */
public final class InvocationMetrics {

    /** IAM service prefixes of the operations the worker retries, to the service names of the metrics. */
    private static final Map<String, String> SERVICES = Map.of("logs", "CloudWatchLogs", "s3", "S3", "sts", "STS",
            "dynamodb", "DynamoDB", "sqs", "SQS");

    private final ExportMetrics metrics;
    /** Incremented from the read-ahead's threads too. */
    private final AtomicLong pages = new AtomicLong();

    public InvocationMetrics(ExportMetrics metrics) {
        this.metrics = metrics;
    }

    /** {@code source}, counting the pages read through it. */
    public LogSource counting(LogSource source) {
        return new LogSource() {
            @Override
            public List<String> streamNames(String prefix) {
                return source.streamNames(prefix);
            }

            @Override
            public LogPage page(String stream, String token, TimeWindow window, int limit) {
                LogPage page = source.page(stream, token, window, limit);
                pages.incrementAndGet();
                return page;
            }
        };
    }

    /** {@code listener}, and a retry metric for each backoff, by AWS service and kind. */
    public Retrier.RetryListener counting(Retrier.RetryListener listener) {
        return (failure, attempt, sleepMillis) -> {
            listener.backingOff(failure, attempt, sleepMillis);
            metrics.retried(service(failure.operation()), failure.kind().name());
        };
    }

    /** Writes the pages read so far. */
    public void flush() {
        metrics.pagesRead(pages.getAndSet(0));
    }

    /** {@code logs:GetLogEvents} → {@code CloudWatchLogs}; an unknown prefix stays as it is (still low-cardinality). */
    static String service(String operation) {
        int colon = operation == null ? -1 : operation.indexOf(':');
        if (colon <= 0) {
            return "Unknown";
        }
        String prefix = operation.substring(0, colon).toLowerCase(Locale.ROOT);
        return SERVICES.getOrDefault(prefix, prefix);
    }
}
