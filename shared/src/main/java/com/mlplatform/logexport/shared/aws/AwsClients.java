package com.mlplatform.logexport.shared.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.time.Duration;

/**
 * The one place that builds AWS SDK clients.
 *
 * <p>Built once per Lambda container (in the handler's no-arg constructor) and shared by every invocation: clients
 * are thread-safe and expensive to create. One url-connection HTTP client backs them all; it has no extra threads
 * and starts fast, which matters more on Lambda than Apache's or Netty's pooling.
 *
 * <p>With an endpoint override (emulator), S3 uses path-style addressing in both the client and the presigner, so
 * that {@code http://127.0.0.1:port/bucket/key} works without DNS for {@code bucket.127.0.0.1}.
 */
public final class AwsClients implements AutoCloseable {

    /** moto serves each request from the account named in this header (default: 123456789012). */
    public static final String MOTO_ACCOUNT_HEADER = "x-moto-account-id";

    private final AwsSettings settings;
    private final SdkHttpClient http;

    public AwsClients(AwsSettings settings) {
        this.settings = settings;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
    }

    public AwsSettings settings() {
        return settings;
    }

    public DynamoDbClient dynamo() {
        return configure(DynamoDbClient.builder(), settings.credentials(), settings.region()).build();
    }

    public SqsClient sqs() {
        return configure(SqsClient.builder(), settings.credentials(), settings.region()).build();
    }

    public S3Client s3() {
        return configure(S3Client.builder(), settings.credentials(), settings.region())
                .serviceConfiguration(s3Config())
                .build();
    }

    public S3Presigner presigner() {
        S3Presigner.Builder b = S3Presigner.builder()
                .region(settings.region())
                .credentialsProvider(settings.credentials())
                .serviceConfiguration(s3Config());
        settings.endpointOverride().ifPresent(b::endpointOverride);
        return b.build();
    }

    public StsClient sts() {
        return configure(StsClient.builder(), settings.credentials(), settings.region()).build();
    }

    /**
     * A CloudWatch Logs client for another account: the credentials come from AssumeRole, the region is the use
     * case's. Deliberately no default: the platform's own credentials must never read training logs.
     */
    public CloudWatchLogsClient logs(AwsCredentialsProvider assumedRole, Region useCaseRegion) {
        return configure(CloudWatchLogsClient.builder(), assumedRole, useCaseRegion).build();
    }

    private S3Configuration s3Config() {
        return S3Configuration.builder().pathStyleAccessEnabled(settings.isEmulated()).build();
    }

    private <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C>
            B configure(B builder, AwsCredentialsProvider credentials, Region region) {
        builder.region(region).credentialsProvider(credentials).httpClient(http);
        settings.endpointOverride().ifPresent(builder::endpointOverride);
        settings.emulatedAccountId().ifPresent(account -> builder.overrideConfiguration(o -> o
                .putHeader(MOTO_ACCOUNT_HEADER, account)));
        return builder;
    }

    @Override
    public void close() {
        http.close();
    }
}
