package com.mlplatform.logexport.reliability.trial;

import com.mlplatform.logexport.emulator.Emulator;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The harness's own view of the platform account, straight to the emulator (never through the fault proxy): to
 * seed, to watch jobs and to check what the handlers left. Built here rather than through the code under test's
 * client factory, so the checks depend on nothing the trials exercise.
 */
public record Moto(Emulator emulator, DynamoDbClient dynamo, SqsClient sqs, S3Client s3) implements AutoCloseable {

    public static Moto of(Emulator emulator) {
        var settings = emulator.platformSettings();
        var endpoint = settings.endpointOverride().orElseThrow();
        var http = UrlConnectionHttpClient.builder();
        return new Moto(emulator,
                DynamoDbClient.builder().endpointOverride(endpoint).region(settings.region())
                        .credentialsProvider(settings.credentials()).httpClientBuilder(http).build(),
                SqsClient.builder().endpointOverride(endpoint).region(settings.region())
                        .credentialsProvider(settings.credentials()).httpClientBuilder(http).build(),
                S3Client.builder().endpointOverride(endpoint).region(settings.region()).forcePathStyle(true)
                        .credentialsProvider(settings.credentials()).httpClientBuilder(http).build());
    }

    @Override
    public void close() {
        dynamo.close();
        sqs.close();
        s3.close();
    }
}
