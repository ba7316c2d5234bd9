package com.mlplatform.logexport.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/** The emulator really separates accounts: the platform reaches a use case's logs only through AssumeRole. */
class CrossAccountIsolationIT {

    private static final String GROUP = "/aws/sagemaker/TrainingJobs";
    private static EmulatedPlatform platform;
    private static String roleArn;

    @BeforeAll
    static void seed() {
        platform = EmulatedPlatform.fresh();
        try (var seeder = platform.seeder(Accounts.USECASE_A)) {
            roleArn = seeder.createReadRole("ext-123");
            seeder.putEvents(GROUP, "job-1/algo-1-1700000000",
                    List.of(new UseCaseAccountSeeder.Event(System.currentTimeMillis(), "epoch 1 loss=0.5")));
        }
    }

    @Test
    void platformCredentials_shouldNotSeeUseCaseLogs() {
        try (AwsClients clients = platform.platformClients();
             var logs = clients.logs(clients.settings().credentials(), Emulator.REGION)) {
            assertThatThrownBy(() -> logs.describeLogStreams(r -> r.logGroupName(GROUP)))
                    .as("the platform account has no such log group: it lives in the use-case account")
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void assumedRoleCredentials_shouldSeeUseCaseLogs_andActInThatAccount() {
        try (AwsClients clients = platform.platformClients()) {
            var assumed = clients.sts().assumeRole(r -> r.roleArn(roleArn).roleSessionName("logs-test-1").externalId("ext-123"));
            var c = assumed.credentials();
            var provider = StaticCredentialsProvider.create(
                    AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
            var asRole = new AwsSettings(Emulator.REGION, clients.settings().endpointOverride(), provider);
            try (var roleClients = new AwsClients(asRole); var logs = clients.logs(provider, Emulator.REGION)) {
                assertThat(roleClients.sts().getCallerIdentity().account())
                        .as("assumed-role credentials map to the role's account")
                        .isEqualTo(Accounts.USECASE_A);
                var streams = logs.describeLogStreams(r -> r.logGroupName(GROUP)).logStreams();
                assertThat(streams).extracting(s -> s.logStreamName()).containsExactly("job-1/algo-1-1700000000");
            }
        }
    }
}
