package com.mlplatform.logexport.api;

import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.config.Env;
import com.mlplatform.logexport.shared.config.PlatformResources;
import com.mlplatform.logexport.shared.events.EventBridgeCompletionEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the request API reads from its environment, read once at cold start.
 *
 * @param userIdClaim               the JWT claim that holds the caller's user id (authorizer claims only)
 * @param corsAllowedOrigins        origins a browser app may call from; {@code *} is accepted only in local mode
 * @param presignTtl                lifetime of a download URL minted by the status endpoint
 * @param maxActiveExportsPerUser   QUEUED + RUNNING exports one user may have before the API answers 429
 * @param downloadReuseWindow       how old a SUCCEEDED export may be for the legacy download route to reuse it
 * @param stuckAfter                an active export not written for this long is presumed stuck: in-flight dedupe
 *                                  no longer hands it back and the cap no longer counts it. The longer of the
 *                                  reconciler's two silences (RECONCILER_QUEUED_GRACE_SECONDS,
 *                                  RECONCILER_STALE_AFTER_SECONDS), read from the same variables, so the API gives
 *                                  up on an export exactly when the reconciler has started re-driving it
 * @param localMode                 the local stack: allows the {@code *} CORS origin; never set in AWS
 * @param fanoutQueueUrl            the batch fan-out queue: one message per accepted batch ({@code fanout})
 */
public record ApiConfig(
        PlatformResources resources,
        String userIdClaim,
        List<String> corsAllowedOrigins,
        Duration presignTtl,
        int maxActiveExportsPerUser,
        Duration downloadReuseWindow,
        Duration stuckAfter,
        boolean localMode,
        String fanoutQueueUrl) {

    public static final String ENV_USER_ID_CLAIM = "USER_ID_CLAIM";
    public static final String ENV_CORS_ALLOWED_ORIGINS = "CORS_ALLOWED_ORIGINS";
    public static final String ENV_PRESIGN_TTL_SECONDS = "PRESIGN_TTL_SECONDS";
    public static final String ENV_MAX_ACTIVE_EXPORTS_PER_USER = "MAX_ACTIVE_EXPORTS_PER_USER";
    public static final String ENV_DOWNLOAD_REUSE_WINDOW_SECONDS = "DOWNLOAD_REUSE_WINDOW_SECONDS";
    public static final String ENV_LOCAL_MODE = "LOCAL_MODE";
    public static final String ENV_FANOUT_QUEUE_URL = "FANOUT_QUEUE_URL";
    /** The reconciler's variables (export-worker's ReconcilerConfig), same names and defaults. */
    public static final String ENV_RECONCILER_QUEUED_GRACE_SECONDS = "RECONCILER_QUEUED_GRACE_SECONDS";
    public static final String ENV_RECONCILER_STALE_AFTER_SECONDS = "RECONCILER_STALE_AFTER_SECONDS";

    public static final String DEFAULT_USER_ID_CLAIM = "sub";
    public static final Duration DEFAULT_PRESIGN_TTL = Duration.ofMinutes(15);
    /** Large enough that one full batch (5,000 ids) fits when nothing else is running. */
    public static final int DEFAULT_MAX_ACTIVE_EXPORTS_PER_USER = 5_000;
    public static final Duration DEFAULT_DOWNLOAD_REUSE_WINDOW = Duration.ofHours(1);
    public static final Duration DEFAULT_RECONCILER_QUEUED_GRACE = Duration.ofSeconds(900);
    public static final Duration DEFAULT_RECONCILER_STALE_AFTER = Duration.ofSeconds(1200);
    /** SigV4 query signatures cannot be valid for longer than 7 days. */
    public static final Duration MAX_PRESIGN_TTL = Duration.ofDays(7);

    /** Variables the API's own code reads. The infra template must set each one that is not provided elsewhere. */
    public static final List<String> API_ENV_VARS = List.of(ENV_USER_ID_CLAIM, ENV_CORS_ALLOWED_ORIGINS,
            ENV_PRESIGN_TTL_SECONDS, ENV_MAX_ACTIVE_EXPORTS_PER_USER, ENV_DOWNLOAD_REUSE_WINDOW_SECONDS, ENV_LOCAL_MODE,
            EventBridgeCompletionEvents.ENV_EVENT_BUS, ENV_RECONCILER_QUEUED_GRACE_SECONDS,
            ENV_RECONCILER_STALE_AFTER_SECONDS, ENV_FANOUT_QUEUE_URL);
    /** Set by the Lambda runtime itself; a template may not set them. */
    public static final List<String> RUNTIME_ENV_VARS = List.of(AwsSettings.ENV_REGION);
    /** Only the local stack and tests set these; the deployed function leaves them unset. */
    public static final List<String> LOCAL_ONLY_ENV_VARS = List.of(AwsSettings.ENV_ENDPOINT);

    /** EVERY environment variable the request API reads (PlatformResources + API + AwsSettings). */
    public static final List<String> ENV_VARS = concat(PlatformResources.ENV_VARS, API_ENV_VARS, RUNTIME_ENV_VARS,
            LOCAL_ONLY_ENV_VARS);

    /**
     * Every IAM action the request API's code performs. SendMessageBatch is authorised by sqs:SendMessage, and a
     * presigned GetObject URL carries the function's own s3:GetObject permission. PutEvents: the completion events
     * of the states the API writes (CANCELLED, and FAILED for a job it could not queue).
     */
    public static final List<String> IAM_ACTIONS = List.of(
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:Query",
            "dynamodb:BatchWriteItem",
            "dynamodb:BatchGetItem",
            "sqs:SendMessage",
            "s3:GetObject",
            "events:PutEvents");

    public ApiConfig {
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(userIdClaim, "userIdClaim");
        corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
        Objects.requireNonNull(presignTtl, "presignTtl");
        Objects.requireNonNull(downloadReuseWindow, "downloadReuseWindow");
        Objects.requireNonNull(stuckAfter, "stuckAfter");
        Objects.requireNonNull(fanoutQueueUrl, ENV_FANOUT_QUEUE_URL);
        if (userIdClaim.isBlank()) {
            throw new IllegalArgumentException(ENV_USER_ID_CLAIM + " must not be blank");
        }
        if (corsAllowedOrigins.isEmpty()) {
            throw new IllegalArgumentException(ENV_CORS_ALLOWED_ORIGINS
                    + " must list the origins of the browser apps (e.g. https://ml.example.com)");
        }
        if (corsAllowedOrigins.contains("*") && !localMode) {
            // A wildcard origin lets any web page read exports with a user's token; only the local stack may.
            throw new IllegalArgumentException(ENV_CORS_ALLOWED_ORIGINS + "=* is only allowed with " + ENV_LOCAL_MODE
                    + "=true");
        }
        if (presignTtl.isNegative() || presignTtl.isZero() || presignTtl.compareTo(MAX_PRESIGN_TTL) > 0) {
            throw new IllegalArgumentException(ENV_PRESIGN_TTL_SECONDS + " must be between 1 and "
                    + MAX_PRESIGN_TTL.toSeconds());
        }
        if (maxActiveExportsPerUser < 1) {
            throw new IllegalArgumentException(ENV_MAX_ACTIVE_EXPORTS_PER_USER + " must be at least 1");
        }
        if (downloadReuseWindow.isNegative()) {
            throw new IllegalArgumentException(ENV_DOWNLOAD_REUSE_WINDOW_SECONDS + " must not be negative");
        }
        if (stuckAfter.isNegative() || stuckAfter.isZero()) {
            throw new IllegalArgumentException(ENV_RECONCILER_QUEUED_GRACE_SECONDS + " and "
                    + ENV_RECONCILER_STALE_AFTER_SECONDS + " must be positive");
        }
    }

    public static ApiConfig fromEnv(Map<String, String> vars) {
        Env env = new Env(vars);
        boolean local = env.flag(ENV_LOCAL_MODE, false);
        String origins = env.text(ENV_CORS_ALLOWED_ORIGINS, null);
        List<String> allowed = origins == null
                ? (local ? List.of("*") : List.of())
                : Arrays.stream(origins.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new ApiConfig(
                PlatformResources.fromEnv(vars),
                vars.getOrDefault(ENV_USER_ID_CLAIM, DEFAULT_USER_ID_CLAIM).trim(),
                allowed,
                env.seconds(ENV_PRESIGN_TTL_SECONDS, DEFAULT_PRESIGN_TTL),
                (int) env.number(ENV_MAX_ACTIVE_EXPORTS_PER_USER, DEFAULT_MAX_ACTIVE_EXPORTS_PER_USER),
                env.seconds(ENV_DOWNLOAD_REUSE_WINDOW_SECONDS, DEFAULT_DOWNLOAD_REUSE_WINDOW),
                longer(env.seconds(ENV_RECONCILER_QUEUED_GRACE_SECONDS, DEFAULT_RECONCILER_QUEUED_GRACE),
                        env.seconds(ENV_RECONCILER_STALE_AFTER_SECONDS, DEFAULT_RECONCILER_STALE_AFTER)),
                local,
                env.required(ENV_FANOUT_QUEUE_URL));
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** A copy with a different active-export cap (tests and the local stack tune it). */
    public ApiConfig withMaxActiveExportsPerUser(int cap) {
        return new ApiConfig(resources, userIdClaim, corsAllowedOrigins, presignTtl, cap, downloadReuseWindow,
                stuckAfter, localMode, fanoutQueueUrl);
    }

    public ApiConfig withPresignTtl(Duration ttl) {
        return new ApiConfig(resources, userIdClaim, corsAllowedOrigins, ttl, maxActiveExportsPerUser,
                downloadReuseWindow, stuckAfter, localMode, fanoutQueueUrl);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return List.copyOf(all);
    }
}
