package com.mlplatform.logexport.emulator;

import com.mlplatform.logexport.shared.aws.AwsClients;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Sets up a use-case account inside the emulator the way a real one looks: the role the platform assumes (as
 * {@code infra/usecase-account-role.yaml} defines it) and SageMaker-shaped training logs. It acts in that account
 * directly, which only seeding may do; the code under test gets there through AssumeRole.
 */
public final class UseCaseAccountSeeder implements AutoCloseable {

    public static final String ROLE_NAME = "PlatformLogExportReadRole";
    public static final String NO_LOGS_ROLE_NAME = "PlatformLogExportNoLogsRole";

    private final String accountId;
    private final AwsClients clients;
    private final CloudWatchLogsClient logs;

    public UseCaseAccountSeeder(Emulator emulator, String accountId) {
        this.accountId = accountId;
        this.clients = emulator.accountClients(accountId);
        this.logs = clients.logs(clients.settings().credentials(), Emulator.REGION);
    }

    public String accountId() {
        return accountId;
    }

    /** The read role with the permissions of the role template; returns its ARN. */
    public String createReadRole(String externalId) {
        return createRole(ROLE_NAME, externalId,
                List.of("logs:DescribeLogStreams", "logs:GetLogEvents"));
    }

    /** A role the platform may assume but that grants no CloudWatch Logs access (misconfigured onboarding). */
    public String createRoleWithoutLogsPermission(String externalId) {
        return createRole(NO_LOGS_ROLE_NAME, externalId, List.of("s3:ListAllMyBuckets"));
    }

    private String createRole(String name, String externalId, List<String> actions) {
        String trust = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"],
                 "Condition":{"StringEquals":{"sts:ExternalId":"%s"}}}]}""".formatted(Accounts.PLATFORM, externalId);
        String policy = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":%s,
                 "Resource":"arn:aws:logs:*:%s:log-group:/aws/sagemaker/TrainingJobs:*"}]}"""
                .formatted(toJsonArray(actions), accountId);
        try (IamClient iam = iam()) {
            String arn = iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(trust)).role().arn();
            iam.putRolePolicy(r -> r.roleName(name).policyName("read-training-logs").policyDocument(policy));
            return arn;
        }
    }

    private IamClient iam() {
        var s = clients.settings();
        var b = IamClient.builder().region(Region.AWS_GLOBAL).credentialsProvider(s.credentials());
        s.endpointOverride().ifPresent(b::endpointOverride);
        s.emulatedAccountId().ifPresent(a -> b.overrideConfiguration(o -> o.putHeader(AwsClients.MOTO_ACCOUNT_HEADER, a)));
        return b.build();
    }

    public void createLogGroup(String logGroup) {
        try {
            logs.createLogGroup(r -> r.logGroupName(logGroup));
        } catch (ResourceAlreadyExistsException e) {
            // seeding is idempotent
        }
    }

    public void createLogStream(String logGroup, String stream) {
        createLogGroup(logGroup);
        try {
            logs.createLogStream(r -> r.logGroupName(logGroup).logStreamName(stream));
        } catch (ResourceAlreadyExistsException e) {
            // seeding is idempotent
        }
    }

    /**
     * A log event to seed. Timestamps must be recent: moto drops events older than 14 days, as AWS does.
     *
     * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html">PutLogEvents</a>
     */
    public record Event(long timestampMillis, String message) {
    }

    /**
     * Writes events in chunks that respect PutLogEvents' limits (10,000 events, 1 MB a call, counting 26 bytes per
     * event on top of its message), each chunk in time order.
     *
     * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html">PutLogEvents</a>
     */
    public void putEvents(String logGroup, String stream, List<Event> events) {
        createLogStream(logGroup, stream);
        List<InputLogEvent> chunk = new ArrayList<>();
        long bytes = 0;
        for (Event e : events) {
            long size = e.message().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 26L;
            if (chunk.size() == 10_000 || bytes + size > 1_000_000) {
                flush(logGroup, stream, chunk);
                bytes = 0;
            }
            chunk.add(InputLogEvent.builder().timestamp(e.timestampMillis()).message(e.message()).build());
            bytes += size;
        }
        flush(logGroup, stream, chunk);
    }

    private void flush(String logGroup, String stream, List<InputLogEvent> chunk) {
        if (chunk.isEmpty()) {
            return;
        }
        List<InputLogEvent> sorted = new ArrayList<>(chunk);
        sorted.sort(java.util.Comparator.comparingLong(InputLogEvent::timestamp));
        logs.putLogEvents(r -> r.logGroupName(logGroup).logStreamName(stream).logEvents(sorted));
        chunk.clear();
    }

    private static String toJsonArray(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    @Override
    public void close() {
        logs.close();
        clients.close();
    }

}
