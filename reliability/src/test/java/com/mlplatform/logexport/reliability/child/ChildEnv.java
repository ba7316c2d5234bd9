package com.mlplatform.logexport.reliability.child;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The harness's own variables in a child's environment, beside the ones the handler reads. They configure what
 * Lambda itself would do (poll the queue, count the function's time down), never the handler.
 */
public final class ChildEnv {

    /** Where Lambda's event source polls: the emulator itself, never the fault proxy (SQS's own side of Lambda). */
    public static final String POLL_ENDPOINT = "TRIALS_POLL_ENDPOINT";
    /** The function's timeout: what {@code getRemainingTimeInMillis()} counts down from at each invocation. */
    public static final String FUNCTION_TIMEOUT_MILLIS = "TRIALS_FUNCTION_TIMEOUT_MILLIS";
    /** Messages per invocation: the template's {@code WorkerBatchSize}. */
    public static final String BATCH_SIZE = "TRIALS_BATCH_SIZE";
    /** How often the reconciler child runs its handler (EventBridge's schedule, shortened). */
    public static final String RECONCILE_EVERY_MILLIS = "TRIALS_RECONCILE_EVERY_MILLIS";
    /** The reconciler handler's class. */
    public static final String RECONCILER_CLASS = "TRIALS_RECONCILER_CLASS";

    private ChildEnv() {
    }

    static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("child JVM started without " + name);
        }
        return value;
    }

    static Duration millis(String name) {
        return Duration.ofMillis(Long.parseLong(required(name)));
    }

    /** An SQS client for the event source: straight to the emulator, credentials from the environment. */
    static SqsClient pollingClient(Map<String, String> env) {
        return SqsClient.builder()
                .endpointOverride(URI.create(required(POLL_ENDPOINT)))
                .region(Region.of(env.getOrDefault("AWS_REGION", "us-east-1")))
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
