package com.mlplatform.logexport.worker;

import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.config.Env;
import com.mlplatform.logexport.shared.config.PlatformResources;
import com.mlplatform.logexport.shared.events.EventBridgeCompletionEvents;
import com.mlplatform.logexport.worker.logs.ReadAheadSettings;
import com.mlplatform.logexport.worker.readbudget.ReadBudgetSettings;
import com.mlplatform.logexport.worker.upload.PartSizePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The export worker's configuration, read once from the environment.
 *
 * @param safetyMargin        stop working this long before Lambda's timeout, to stash the open part, save the
 *                            checkpoint and enqueue the continuation
 * @param progressInterval    write progress to the job record at most this often
 * @param partSizeBytes       the first (smallest) multipart part size; parts grow from there
 * @param roleSessionDuration how long assumed-role credentials are requested for
 */
public record WorkerConfig(PlatformResources resources, Duration safetyMargin, Duration progressInterval,
                           long partSizeBytes, Duration roleSessionDuration) {

    public static final String ENV_SAFETY_MARGIN_SECONDS = "WORKER_SAFETY_MARGIN_SECONDS";
    public static final String ENV_PROGRESS_INTERVAL_SECONDS = "WORKER_PROGRESS_INTERVAL_SECONDS";
    public static final String ENV_PART_SIZE_MIB = "WORKER_PART_SIZE_MIB";
    public static final String ENV_ROLE_SESSION_SECONDS = "WORKER_ROLE_SESSION_SECONDS";

    public static final Duration DEFAULT_SAFETY_MARGIN = Duration.ofSeconds(30);
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(5);
    /** The AWS CLI's default multipart chunk size. */
    public static final long DEFAULT_PART_SIZE = 8 * PartSizePolicy.MIB;
    public static final Duration DEFAULT_ROLE_SESSION = Duration.ofHours(1);
    /** AssumeRole's minimum DurationSeconds. */
    public static final Duration MIN_ROLE_SESSION = Duration.ofMinutes(15);
    /**
     * A Lambda's credentials are themselves an assumed role, so its AssumeRole is role chaining, which AWS caps at
     * one hour whatever the role's MaxSessionDuration (the use-case role's is 3,600 s too).
     *
     * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining">IAM: role chaining</a>
     */
    public static final Duration MAX_ROLE_SESSION = Duration.ofHours(1);

    /**
     * Every environment variable the worker reads. {@code AWS_REGION} is set by Lambda itself;
     * {@code AWS_ENDPOINT_URL} only by the local stack and tests (never in a deployment); the {@code WORKER_*}
     * tuning variables and the read settings ({@code LOG_READ_*}, {@code LOG_LIST_RATE}: {@code ReadAheadSettings},
     * {@code ReadBudgetSettings}) are optional.
     */
    public static final List<String> ENV_VARS;

    static {
        List<String> vars = new ArrayList<>(PlatformResources.ENV_VARS);
        vars.addAll(List.of(AwsSettings.ENV_REGION, AwsSettings.ENV_ENDPOINT, ENV_SAFETY_MARGIN_SECONDS,
                ENV_PROGRESS_INTERVAL_SECONDS, ENV_PART_SIZE_MIB, ENV_ROLE_SESSION_SECONDS,
                EventBridgeCompletionEvents.ENV_EVENT_BUS, ReadAheadSettings.ENV_THREADS,
                ReadBudgetSettings.ENV_READ_RATE, ReadBudgetSettings.ENV_LIST_RATE, ReadBudgetSettings.ENV_LEASE,
                ReadBudgetSettings.ENV_BUDGET));
        ENV_VARS = List.copyOf(vars);
    }

    /**
     * Every IAM action the worker's code calls in the platform account. S3 multipart calls are authorised by
     * s3:PutObject (CreateMultipartUpload, UploadPart, CompleteMultipartUpload), ListParts by
     * s3:ListMultipartUploadParts, HeadObject by s3:GetObject; a finished export looks for what crashed attempts
     * left under its own prefixes with ListMultipartUploads (s3:ListBucketMultipartUploads) and ListObjectsV2
     * (s3:ListBucket). Not listed: what the SQS event source mapping itself
     * needs (sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes), which the worker's code never calls.
     * PutEvents: the completion events of the states the worker writes.
     */
    public static final List<String> IAM_ACTIONS = List.of(
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "sqs:SendMessage",
            "sts:AssumeRole",
            "sts:SetSourceIdentity",
            "s3:PutObject",
            "s3:GetObject",
            "s3:DeleteObject",
            "s3:AbortMultipartUpload",
            "s3:ListMultipartUploadParts",
            "s3:ListBucketMultipartUploads",
            "s3:ListBucket",
            "events:PutEvents");

    /** What the use case's role must allow on its training log group. */
    public static final List<String> USECASE_ROLE_ACTIONS = List.of("logs:DescribeLogStreams", "logs:GetLogEvents");

    public WorkerConfig {
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(safetyMargin, "safetyMargin");
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(roleSessionDuration, "roleSessionDuration");
        PartSizePolicy.forS3(partSizeBytes); // validates the range
        if (roleSessionDuration.compareTo(MIN_ROLE_SESSION) < 0 || roleSessionDuration.compareTo(MAX_ROLE_SESSION) > 0) {
            throw new IllegalArgumentException(ENV_ROLE_SESSION_SECONDS + " must be " + MIN_ROLE_SESSION.toSeconds()
                    + " to " + MAX_ROLE_SESSION.toSeconds() + " seconds, got " + roleSessionDuration.toSeconds());
        }
    }

    public static WorkerConfig defaults(PlatformResources resources) {
        return new WorkerConfig(resources, DEFAULT_SAFETY_MARGIN, DEFAULT_PROGRESS_INTERVAL, DEFAULT_PART_SIZE,
                DEFAULT_ROLE_SESSION);
    }

    public static WorkerConfig fromEnv(Map<String, String> vars) {
        Env env = new Env(vars);
        return new WorkerConfig(PlatformResources.fromEnv(vars),
                env.seconds(ENV_SAFETY_MARGIN_SECONDS, DEFAULT_SAFETY_MARGIN),
                env.seconds(ENV_PROGRESS_INTERVAL_SECONDS, DEFAULT_PROGRESS_INTERVAL),
                env.number(ENV_PART_SIZE_MIB, DEFAULT_PART_SIZE / PartSizePolicy.MIB) * PartSizePolicy.MIB,
                env.seconds(ENV_ROLE_SESSION_SECONDS, DEFAULT_ROLE_SESSION));
    }

    public WorkerConfig withSafetyMargin(Duration margin) {
        return new WorkerConfig(resources, margin, progressInterval, partSizeBytes, roleSessionDuration);
    }

    public WorkerConfig withProgressInterval(Duration interval) {
        return new WorkerConfig(resources, safetyMargin, interval, partSizeBytes, roleSessionDuration);
    }

    public WorkerConfig withPartSize(long bytes) {
        return new WorkerConfig(resources, safetyMargin, progressInterval, bytes, roleSessionDuration);
    }

    public PartSizePolicy partSizes() {
        return PartSizePolicy.forS3(partSizeBytes);
    }
}
