package com.mlplatform.logexport.shared.aws;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.warmup.http.CannedResponseHttpClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The one place that builds AWS SDK clients, and the one that owns them.
 *
 * <p>Built once per Lambda container (in the handler's no-arg constructor) and shared by every invocation. Each
 * client is built on first use and then handed out again, because clients are thread-safe and expensive to create.
 * They belong to this object: callers never close them, {@link #close()} does. The one exception is
 * {@link #logs}, a client per assumed role, which its caller closes.
 *
 * <p>Every HTTP and retry setting is stated here, so that no environment variable or SDK upgrade changes them
 * silently. One url-connection HTTP client backs all clients: no extra threads and a fast start, which matters more
 * on Lambda than Apache's or Netty's pooling.
 *
 * <p>With an endpoint override (emulator), S3 uses path-style addressing in both the client and the presigner, so
 * that {@code http://127.0.0.1:port/bucket/key} works without DNS for {@code bucket.127.0.0.1}.
 */
public final class AwsClients implements AutoCloseable {

    /** moto serves each request from the account named in this header (default: 123456789012). */
    public static final String MOTO_ACCOUNT_HEADER = "x-moto-account-id";

    /** Time to open a TCP (and TLS) connection before the attempt fails and the SDK retries. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Longest silence on an open connection; above SQS's longest long poll (20 s), which is silent by design.
     *
     * @see <a href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html">SQS long polling</a>
     */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /** Idle keep-alive connections per host that {@link java.net.HttpURLConnection} keeps for reuse. */
    static final int MAX_IDLE_CONNECTIONS_PER_HOST = 32;

    static {
        // HttpURLConnection (the url-connection SDK client) keeps only 5 idle connections per host by default; the
        // request API's batch path has up to 32 calls in flight, and re-opening TLS connections would cost more than
        // the calls. The JVM reads the property once, when the first connection goes back to its keep-alive cache,
        // so it is set before any client exists; a value given on the command line wins.
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(MAX_IDLE_CONNECTIONS_PER_HOST));
        }
    }

    private final AwsSettings settings;
    private final SdkHttpClient http;
    private final Owned<DynamoDbClient> dynamo;
    private final Owned<SqsClient> sqs;
    private final Owned<S3Client> s3;
    private final Owned<S3Presigner> presigner;
    /**
     * Typed loosely so that building this object never loads an STS class: only the export worker's deployment jar
     * has them (sts is optional in shared), and the request API never calls {@link #sts()}.
     */
    private final Owned<SdkAutoCloseable> sts;
    private final Owned<EventBridgeClient> events;
    private volatile boolean closed;

    public AwsClients(AwsSettings settings) {
        this(settings, UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECTION_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build());
    }

    /**
     * Clients configured like the real ones that never leave the JVM: every call is answered {@code 200 {}} by the
     * SDK's canned-response HTTP client. SnapStart priming runs the handlers' own code paths on them (request
     * marshalling, signing, response parsing, our adapters) before the snapshot, with no effect on any resource.
     * Only the JSON-protocol services (DynamoDB, SQS, EventBridge, CloudWatch Logs) parse that answer; S3 and STS
     * calls fail, which callers of these clients must expect.
     */
    public static AwsClients offline(Region region) {
        var settings = new AwsSettings(region, Optional.of(URI.create("http://localhost")),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")));
        return new AwsClients(settings, CannedResponseHttpClient.builder()
                .statusCode(200).responseBody("{}".getBytes(StandardCharsets.UTF_8)).build());
    }

    private AwsClients(AwsSettings settings, SdkHttpClient http) {
        this.settings = settings;
        this.http = http;
        this.dynamo = new Owned<>(() -> configure(DynamoDbClient.builder(), settings.credentials(), settings.region(),
                dynamoRetries()).build());
        this.sqs = new Owned<>(() -> configure(SqsClient.builder(), settings.credentials(), settings.region(),
                retries()).build());
        this.s3 = new Owned<>(() -> configure(S3Client.builder(), settings.credentials(), settings.region(),
                retries()).serviceConfiguration(s3Config()).build());
        this.presigner = new Owned<>(this::buildPresigner);
        this.sts = new Owned<>(this::buildSts);
        this.events = new Owned<>(() -> configure(EventBridgeClient.builder(), settings.credentials(),
                settings.region(), retries()).build());
    }

    public AwsSettings settings() {
        return settings;
    }

    /** The platform's DynamoDB client; owned here, do not close it. */
    public DynamoDbClient dynamo() {
        return dynamo.get();
    }

    /** The platform's SQS client; owned here, do not close it. */
    public SqsClient sqs() {
        return sqs.get();
    }

    /** The platform's S3 client; owned here, do not close it. */
    public S3Client s3() {
        return s3.get();
    }

    /** The platform's S3 presigner (signs locally, no HTTP); owned here, do not close it. */
    public S3Presigner presigner() {
        return presigner.get();
    }

    /** The platform's STS client; owned here, do not close it. */
    public StsClient sts() {
        return (StsClient) sts.get();
    }

    /** The platform's EventBridge client (completion events); owned here, do not close it. */
    public EventBridgeClient events() {
        return events.get();
    }

    /**
     * A new CloudWatch Logs client for another account: the credentials come from AssumeRole, the region is the use
     * case's. Deliberately no default: the platform's own credentials must never read training logs.
     *
     * <p>Unlike the other clients this one is built on every call, one per assumed role, and <b>the caller owns
     * it</b>: close it when done with the role. It shares this object's HTTP client, so close it before
     * {@link #close()}.
     */
    public CloudWatchLogsClient logs(AwsCredentialsProvider assumedRole, Region useCaseRegion) {
        requireOpen();
        return configure(CloudWatchLogsClient.builder(), assumedRole, useCaseRegion, retries()).build();
    }

    /**
     * The SDK's default retry strategy, stated so that {@code AWS_RETRY_MODE}, {@code AWS_MAX_ATTEMPTS} or a new SDK
     * default cannot change it: "legacy" mode (what the SDK resolves when nothing is configured), 4 attempts in
     * all, exponential backoff with full jitter from 100 ms, throttling errors from 500 ms with half jitter, at most
     * 20 s a wait. A fresh strategy per client, as the SDK makes one: each keeps its own retry token bucket.
     *
     * @see <a href="https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html">Retry behavior</a>
     */
    private static RetryStrategy retries() {
        return AwsRetryStrategy.legacyRetryStrategy();
    }

    /**
     * DynamoDB's own default in legacy mode: 9 attempts in all, exponential backoff with full jitter from 25 ms
     * (throttling as for the other services).
     *
     * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html#Programming.Errors.RetryAndBackoff">DynamoDB error retries and exponential backoff</a>
     */
    private static RetryStrategy dynamoRetries() {
        return AwsRetryStrategy.legacyRetryStrategy().toBuilder()
                .maxAttempts(9)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(25), Duration.ofSeconds(20)))
                .build();
    }

    private SdkAutoCloseable buildSts() {
        return configure(StsClient.builder(), settings.credentials(), settings.region(), retries()).build();
    }

    private S3Presigner buildPresigner() {
        S3Presigner.Builder b = S3Presigner.builder()
                .region(settings.region())
                .credentialsProvider(settings.credentials())
                .serviceConfiguration(s3Config());
        settings.endpointOverride().ifPresent(b::endpointOverride);
        return b.build();
    }

    private S3Configuration s3Config() {
        return S3Configuration.builder().pathStyleAccessEnabled(settings.isEmulated()).build();
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(
            B builder, AwsCredentialsProvider credentials, Region region, RetryStrategy retryStrategy) {
        builder.region(region).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(o -> {
                    o.retryStrategy(retryStrategy);
                    settings.emulatedAccountId().ifPresent(account -> o.putHeader(MOTO_ACCOUNT_HEADER, account));
                });
        settings.endpointOverride().ifPresent(builder::endpointOverride);
        return builder;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("these AWS clients are closed");
        }
    }

    /** Closes every client built so far, then the HTTP client they share. */
    @Override
    public void close() {
        closed = true;
        for (Owned<?> client : List.of(dynamo, sqs, s3, presigner, sts, events)) {
            client.close();
        }
        http.close();
    }

    /** A client built on first use, once, however many threads ask at the same time. */
    private final class Owned<T extends SdkAutoCloseable> {

        private final Supplier<T> build;
        private T client;

        Owned(Supplier<T> build) {
            this.build = build;
        }

        synchronized T get() {
            requireOpen();
            if (client == null) {
                client = build.get();
            }
            return client;
        }

        synchronized void close() {
            if (client != null) {
                client.close();
            }
        }
    }
}
