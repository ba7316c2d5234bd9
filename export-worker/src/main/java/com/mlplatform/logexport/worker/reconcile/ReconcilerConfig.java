package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.config.Env;
import com.mlplatform.logexport.shared.config.PlatformResources;
import com.mlplatform.logexport.shared.events.EventBridgeCompletionEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The reconciler's configuration, read once from the environment.
 *
 * @param queuedGrace   an export waiting for its message (QUEUED, or RUNNING between two hops) is re-driven after
 *                      this long without a write
 * @param staleAfter    a RUNNING export whose lease expired is re-driven after this long without a write; longer
 *                      than the worker's lease (its timeout + 30 s)
 * @param maxRedrives   restarts of a crashed export (expired lease, no durable progress) before it is FAILED
 * @param maxExportAge  any export older than this is FAILED; shorter than the bucket's AbortIncompleteMultipartUpload
 *                      rule, so a live upload is never aborted by the lifecycle rule
 */
public record ReconcilerConfig(String exportsTable, String queueUrl, String bucket, Duration queuedGrace,
                               Duration staleAfter, int maxRedrives, Duration maxExportAge) {

    public static final String ENV_QUEUED_GRACE_SECONDS = "RECONCILER_QUEUED_GRACE_SECONDS";
    public static final String ENV_STALE_AFTER_SECONDS = "RECONCILER_STALE_AFTER_SECONDS";
    public static final String ENV_MAX_REDRIVES = "RECONCILER_MAX_REDRIVES";
    public static final String ENV_MAX_EXPORT_AGE_SECONDS = "RECONCILER_MAX_EXPORT_AGE_SECONDS";

    public static final Duration DEFAULT_QUEUED_GRACE = Duration.ofMinutes(15);
    /** The worker's longest timeout (900 s) plus 300 s. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(1200);
    public static final int DEFAULT_MAX_REDRIVES = 3;
    public static final Duration DEFAULT_MAX_EXPORT_AGE = Duration.ofHours(24);
    /** Orphaned uploads and working objects are removed once this much older than the oldest export may be. */
    static final Duration ORPHAN_MARGIN = Duration.ofHours(1);

    /** Every environment variable the reconciler reads (see {@code WorkerConfig.ENV_VARS} for the AWS_ ones). */
    public static final List<String> ENV_VARS = List.of(PlatformResources.ENV_EXPORTS_TABLE,
            PlatformResources.ENV_QUEUE_URL, PlatformResources.ENV_BUCKET, AwsSettings.ENV_REGION,
            AwsSettings.ENV_ENDPOINT, ENV_QUEUED_GRACE_SECONDS, ENV_STALE_AFTER_SECONDS, ENV_MAX_REDRIVES,
            ENV_MAX_EXPORT_AGE_SECONDS, EventBridgeCompletionEvents.ENV_EVENT_BUS);

    /**
     * Every IAM action the reconciler's code calls. Failing a job is a conditional PutItem (the repository's
     * replace), as are the re-drive marks. ListObjectsV2 is authorised by s3:ListBucket, ListMultipartUploads by
     * s3:ListBucketMultipartUploads. PutEvents: the completion event of every export it fails.
     */
    public static final List<String> IAM_ACTIONS = List.of(
            "dynamodb:Query",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "sqs:SendMessage",
            "s3:ListBucketMultipartUploads",
            "s3:ListBucket",
            "s3:AbortMultipartUpload",
            "s3:DeleteObject",
            "events:PutEvents");

    public ReconcilerConfig {
        Objects.requireNonNull(exportsTable, PlatformResources.ENV_EXPORTS_TABLE);
        Objects.requireNonNull(queueUrl, PlatformResources.ENV_QUEUE_URL);
        Objects.requireNonNull(bucket, PlatformResources.ENV_BUCKET);
        positive(queuedGrace, ENV_QUEUED_GRACE_SECONDS);
        positive(staleAfter, ENV_STALE_AFTER_SECONDS);
        positive(maxExportAge, ENV_MAX_EXPORT_AGE_SECONDS);
        if (maxRedrives < 0) {
            throw new IllegalArgumentException(ENV_MAX_REDRIVES + " must not be negative, got " + maxRedrives);
        }
    }

    public static ReconcilerConfig defaults(PlatformResources resources) {
        return new ReconcilerConfig(resources.exportsTable(), resources.queueUrl(), resources.bucket(),
                DEFAULT_QUEUED_GRACE, DEFAULT_STALE_AFTER, DEFAULT_MAX_REDRIVES, DEFAULT_MAX_EXPORT_AGE);
    }

    public static ReconcilerConfig fromEnv(Map<String, String> vars) {
        Env env = new Env(vars);
        return new ReconcilerConfig(env.required(PlatformResources.ENV_EXPORTS_TABLE),
                env.required(PlatformResources.ENV_QUEUE_URL), env.required(PlatformResources.ENV_BUCKET),
                env.seconds(ENV_QUEUED_GRACE_SECONDS, DEFAULT_QUEUED_GRACE),
                env.seconds(ENV_STALE_AFTER_SECONDS, DEFAULT_STALE_AFTER),
                Math.toIntExact(env.number(ENV_MAX_REDRIVES, DEFAULT_MAX_REDRIVES)),
                env.seconds(ENV_MAX_EXPORT_AGE_SECONDS, DEFAULT_MAX_EXPORT_AGE));
    }

    /** An upload or working object this old belongs to no export that may still be running. */
    public Duration orphanAge() {
        return maxExportAge.plus(ORPHAN_MARGIN);
    }

    /** Below this age since its last write, no export needs a look (only max age could apply). */
    Duration quietBound() {
        return queuedGrace.compareTo(staleAfter) < 0 ? queuedGrace : staleAfter;
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d.toSeconds() + " s");
        }
    }
}
