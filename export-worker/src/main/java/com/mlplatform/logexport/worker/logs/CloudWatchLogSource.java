package com.mlplatform.logexport.worker.logs;

import com.mlplatform.logexport.worker.failure.AwsFailures;
import com.mlplatform.logexport.worker.failure.JobFailure;
import com.mlplatform.logexport.worker.failure.RoleRef;
import com.mlplatform.logexport.worker.time.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogStreamsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/**
 * CloudWatch Logs in the use case's account, reached with the assumed role's credentials.
 *
 * <p>Every call is bounded by the invocation's deadline ({@code apiCallTimeout}), so the SDK's own retries can never
 * run past the point where the export must checkpoint. A stream ends only when GetLogEvents returns the token it was
 * sent; pages before that may be empty (see {@code StreamCursor}).
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html">GetLogEvents</a>
 * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html">DescribeLogStreams</a>
 */
public record CloudWatchLogSource(CloudWatchLogsClient logs, String logGroup, String trainingId, RoleRef role,
                                  Deadline deadline, ReadBudget listings) implements LogSource {

    /** Without a budget for DescribeLogStreams. */
    public CloudWatchLogSource(CloudWatchLogsClient logs, String logGroup, String trainingId, RoleRef role,
                               Deadline deadline) {
        this(logs, logGroup, trainingId, role, deadline, ReadBudget.UNLIMITED);
    }

    /** DescribeLogStreams' maximum page size. */
    static final int STREAMS_PAGE = 50;
    static final String DESCRIBE = "logs:DescribeLogStreams";
    static final String GET_EVENTS = "logs:GetLogEvents";
    private static final Duration MIN_CALL_TIME = Duration.ofSeconds(1);

    @Override
    public List<String> streamNames(String prefix) {
        List<String> names = new ArrayList<>();
        Set<String> tokensSeen = new HashSet<>();
        String token = null;
        do {
            String pageToken = token;
            awaitListingToken();
            DescribeLogStreamsResponse page = call(DESCRIBE, () -> logs.describeLogStreams(r -> r
                    .logGroupName(logGroup)
                    .logStreamNamePrefix(prefix)
                    .orderBy(OrderBy.LOG_STREAM_NAME)
                    .limit(STREAMS_PAGE)
                    .nextToken(pageToken)
                    .overrideConfiguration(o -> o.apiCallTimeout(callTimeout()))));
            for (LogStream s : page.logStreams()) {
                names.add(s.logStreamName());
            }
            token = page.nextToken();
            // A token we have already followed would loop forever; AWS does not do that, but a proxy might.
        } while (token != null && !token.isEmpty() && tokensSeen.add(token));
        names.sort(null);
        return names;
    }

    @Override
    public LogPage page(String stream, String token, TimeWindow window, int limit) {
        GetLogEventsResponse response = call(GET_EVENTS, () -> logs.getLogEvents(r -> r
                .logGroupName(logGroup)
                .logStreamName(stream)
                .startFromHead(true)
                .nextToken(token)
                .startTime(window.startInclusive())
                .endTime(window.endExclusive())
                .limit(limit)
                .overrideConfiguration(o -> o.apiCallTimeout(callTimeout()))));
        List<LogEvent> events = new ArrayList<>(response.events().size());
        for (OutputLogEvent e : response.events()) {
            // GetLogEvents' endTime is exclusive on AWS (see the class's @see); filter here too so every source agrees.
            if (e.timestamp() != null && window.contains(e.timestamp())) {
                events.add(new LogEvent(e.timestamp(), e.message() == null ? "" : e.message()));
            }
        }
        return new LogPage(events, response.nextForwardToken());
    }

    private void awaitListingToken() {
        try {
            listings.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the account's read budget", e);
        }
    }

    private Duration callTimeout() {
        Duration left = deadline.remaining();
        return left.compareTo(MIN_CALL_TIME) < 0 ? MIN_CALL_TIME : left;
    }

    private <T> T call(String permission, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw translate(e, permission, trainingId, logGroup, role);
        }
    }

    /**
     * The error table for CloudWatch Logs (seed property 3): missing group or stream → NO_LOGS, refused → ACCESS_DENIED
     * naming the role and permission, invalid parameter → INVALID_REQUEST; throttling, 5xx and network faults are
     * retried (thrown as {@code RetryableFailure}), an expired token refreshes credentials; anything else is
     * returned unchanged and becomes INTERNAL. AWS's own message is never passed on.
     */
    public static RuntimeException translate(SdkException e, String permission, String trainingId, String logGroup,
                                             RoleRef role) {
        AwsFailures.Kind kind = AwsFailures.rethrowTransient(e, permission);
        return switch (kind) {
            case NOT_FOUND -> JobFailure.noLogs(trainingId, logGroup);
            case DENIED -> JobFailure.accessDenied(role, permission, "log group " + logGroup);
            case INVALID -> JobFailure.invalidRequest("CloudWatch Logs refused the request for training job '"
                    + trainingId + "' in log group " + logGroup + ". Check the training job name and the use "
                    + "case's log group setting.");
            default -> e;
        };
    }
}
