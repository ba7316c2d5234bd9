package com.mlplatform.logexport.shared.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** No calls go out: building and configuring clients needs no server. */
class AwsClientsTest {

    private final AwsClients clients = new AwsClients(new AwsSettings(Region.US_EAST_1,
            Optional.of(URI.create("http://127.0.0.1:1")),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))));

    @AfterEach
    void close() {
        clients.close();
    }

    @Test
    void eachClient_shouldBeBuiltOnce_andHandedOutAgain() {
        assertThat(clients.dynamo()).isSameAs(clients.dynamo());
        assertThat(clients.sqs()).isSameAs(clients.sqs());
        assertThat(clients.s3()).isSameAs(clients.s3());
        assertThat(clients.sts()).isSameAs(clients.sts());
        assertThat(clients.presigner()).isSameAs(clients.presigner());
    }

    @Test
    void threadsAskingAtOnce_shouldAllGetTheSameClient() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<DynamoDbClient>> asked = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                asked.add(pool.submit((Callable<DynamoDbClient>) () -> {
                    go.await();
                    return clients.dynamo();
                }));
            }
            go.countDown();
            DynamoDbClient first = asked.get(0).get();
            for (Future<DynamoDbClient> f : asked) {
                assertThat(f.get()).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void retries_shouldBeTheSdksLegacyDefaults_statedExplicitly() {
        assertThat(maxAttempts(clients.dynamo())).as("DynamoDB's own default: 8 retries").isEqualTo(9);
        assertThat(maxAttempts(clients.sqs())).as("3 retries").isEqualTo(4);
        assertThat(maxAttempts(clients.s3())).isEqualTo(4);
        assertThat(maxAttempts(clients.sts())).isEqualTo(4);
        try (var logs = clients.logs(clients.settings().credentials(), Region.EU_WEST_1)) {
            assertThat(maxAttempts(logs)).isEqualTo(4);
        }
    }

    @Test
    void keepAliveConnectionsPerHost_shouldBeRaisedForParallelBatches() {
        assertThat(System.getProperty("http.maxConnections"))
                .isEqualTo(Integer.toString(AwsClients.MAX_IDLE_CONNECTIONS_PER_HOST));
    }

    @Test
    void afterClose_shouldRefuseToHandOutClients() {
        clients.dynamo();
        clients.close();

        assertThatThrownBy(clients::dynamo).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(clients::sqs).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> clients.logs(clients.settings().credentials(), Region.EU_WEST_1))
                .isInstanceOf(IllegalStateException.class);
    }

    private static int maxAttempts(SdkClient client) {
        return client.serviceClientConfiguration().overrideConfiguration().retryStrategy().orElseThrow()
                .maxAttempts();
    }
}
