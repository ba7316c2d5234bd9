package com.mlplatform.logexport.emulator.faults;

import com.mlplatform.logexport.shared.aws.AwsSettings;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Drops the response of the {@code n}-th request of one type after the server committed it, by failing the attempt
 * with an I/O error in {@code afterTransmission}: the SDK's retry stage wraps the transmission and its interceptors
 * and retries an {@link SdkClientException} caused by an {@link IOException}, so the SDK sends the request again as
 * it would after a connection reset. (An unchecked exception of another kind is not retried.) moto never loses a
 * response; this is how the tests make it.
 */
public final class LostResponse implements ExecutionInterceptor {

    private final Class<? extends SdkRequest> type;
    private final int n;
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();

    private LostResponse(Class<? extends SdkRequest> type, int n) {
        this.type = type;
        this.n = n;
    }

    /** Loses the response of the {@code n}-th (1-based) request of {@code type}. */
    public static LostResponse ofNth(Class<? extends SdkRequest> type, int n) {
        return new LostResponse(type, n);
    }

    /** A DynamoDB client on {@code settings} (the emulator's) whose responses this interceptor may drop. */
    public DynamoDbClient dynamo(AwsSettings settings) {
        return DynamoDbClient.builder().region(settings.region()).credentialsProvider(settings.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(settings.endpointOverride().orElseThrow())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.legacyRetryStrategy())
                        .addExecutionInterceptor(this))
                .build();
    }

    /** Requests of the type sent so far, the SDK's repeats included. */
    public int seen() {
        return seen.get();
    }

    /** Responses dropped (0 or 1). */
    public int lost() {
        return lost.get();
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        if (type.isInstance(context.request()) && seen.incrementAndGet() == n
                && context.httpResponse().isSuccessful()) {
            lost.incrementAndGet();
            throw SdkClientException.create("response lost",
                    new IOException("connection reset after the write committed"));
        }
    }
}
