package com.mlplatform.logexport.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.emulator.Accounts;
import com.mlplatform.logexport.emulator.Emulator;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import com.mlplatform.logexport.shared.archive.ArchiveIds;
import com.mlplatform.logexport.shared.archive.ArchiveMember;
import com.mlplatform.logexport.shared.archive.ArchiveMembers;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.worker.testing.ExportFileParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * With IAM enforced. moto checks permissions only when asked to ({@code POST /moto-api/reset-auth}); this class
 * turns that on for the worker's run, so that:
 * <ul>
 *   <li>a use case whose role lacks CloudWatch Logs permissions fails with ACCESS_DENIED naming the role and the
 *   permission (the seed's 403 row), and</li>
 *   <li>a whole export succeeds when the worker's own identity has exactly {@link WorkerConfig#IAM_ACTIONS} and the
 *   use case's role exactly {@link WorkerConfig#USECASE_ROLE_ACTIONS}, which checks that those lists are enough;
 *   so does a batch's archive, which needs nothing beyond them.</li>
 * </ul>
 * moto limits: it evaluates CloudWatch Logs actions against resource "*" (so the allowed role's policy names "*"
 * where the real role template scopes it to the log group), and it does not check trust policies across accounts
 * (the ExternalId condition is not enforced here).
 */
class IamEnforcedIT {

    private static final String TRAINING = "iam-job-1";
    @RegisterExtension
    static final WorkerFixture fx = new WorkerFixture();
    private static String deniedRole;
    private static String allowedRole;
    private static AwsClients workerClients;

    @BeforeAll
    static void seedUseCases() {
        long t0 = System.currentTimeMillis() - 60_000;
        List<Event> events = List.of(new Event(t0, "loss=1.0"), new Event(t0 + 10, "loss=0.5"));
        try (var a = fx.seeder()) {
            a.putEvents(WorkerFixture.LOG_GROUP, TRAINING + "/algo-1-1700000000", events);
            deniedRole = a.createRoleWithoutLogsPermission("ext-denied");
        }
        try (var b = fx.platform.seeder(Accounts.USECASE_B)) {
            b.putEvents(WorkerFixture.LOG_GROUP, TRAINING + "/algo-1-1700000000", events);
            allowedRole = createRole(Accounts.USECASE_B, "LogsOnStarRole", WorkerConfig.USECASE_ROLE_ACTIONS);
        }
        fx.registry.put(new UseCase("uc-denied", Accounts.USECASE_A, deniedRole, "ext-denied", "us-east-1", null,
                Set.of(WorkerFixture.USER)));
        fx.registry.put(new UseCase("uc-allowed", Accounts.USECASE_B, allowedRole, "ext-allowed", "us-east-1", null,
                Set.of(WorkerFixture.USER)));
        workerClients = new AwsClients(new AwsSettings(Emulator.REGION,
                Optional.of(fx.platform.emulator().endpoint()), workerUser()));
    }

    @AfterAll
    static void tearDown() {
        enforceIam(false);
        workerClients.close();
    }

    @Test
    void roleWithoutLogsPermission_failsWithAccessDenied_namingRoleAndPermission() {
        ExportJob job = job("uc-denied");

        runEnforced(job);

        ExportJob done = fx.job(job.exportId());
        assertThat(done.status()).isEqualTo(ExportStatus.FAILED);
        assertThat(done.error().code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(done.error().code().httpStatus()).isEqualTo(403);
        assertThat(done.error().message()).contains(UseCaseAccountSeeder.NO_LOGS_ROLE_NAME,
                Accounts.USECASE_A, "logs:DescribeLogStreams").doesNotContain("arn:aws:sts", "AKIA", "ASIA");
        assertThat(done.error().correlationId()).isNotBlank();
    }

    @Test
    void exactlyTheDeclaredPermissions_areEnoughForAWholeExport() {
        ExportJob job = job("uc-allowed");

        runEnforced(job);

        ExportJob done = fx.job(job.exportId());
        assertThat(done.status()).as("error: %s", done.error()).isEqualTo(ExportStatus.SUCCEEDED);
        assertThat(ExportFileParser.text(fx.object(done.result().key())).events()).hasSize(2);
    }

    /** A batch's archive reads the snapshot (GetItem) and the exports (GetObject): nothing beyond the list. */
    @Test
    void exactlyTheDeclaredPermissions_areEnoughForABatchArchive() throws IOException {
        ExportJob export = job("uc-allowed");
        runEnforced(export);
        ExportJob member = fx.job(export.exportId());
        String batchId = ExportIds.newBatchId();
        Instant now = Instant.now();
        var snapshot = new ArchiveMembers(batchId, "uc-allowed", List.of(ArchiveMember.of(member)))
                .toItem(now.plus(ExportJobRepository.RETENTION)).orElseThrow();
        fx.clients.dynamo().putItem(r -> r.tableName(fx.platform.resources().exportsTable()).item(snapshot));
        ExportJob archive = ArchiveIds.queuedJob(batchId, "uc-allowed", WorkerFixture.USER, now);
        fx.jobs.create(archive);

        runEnforced(archive);

        ExportJob done = fx.job(archive.exportId());
        assertThat(done.status()).as("error: %s", done.error()).isEqualTo(ExportStatus.SUCCEEDED);
        try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(
                fx.object(done.result().key())))) {
            assertThat(zip.getNextEntry().getName()).isEqualTo("manifest.json");
            assertThat(zip.getNextEntry().getName()).isEqualTo(member.result().filename());
            assertThat(zip.readAllBytes()).isEqualTo(fx.object(member.result().key()));
        }
    }

    @Test
    void enforcementIsReal_aWorkerMissingOneDeclaredPermission_cannotFinish() {
        ExportJob job = job("uc-allowed");
        List<String> fewer = WorkerConfig.IAM_ACTIONS.stream()
                .filter(a -> !a.equals("s3:ListMultipartUploadParts")).toList();
        try (AwsClients limited = new AwsClients(new AwsSettings(Emulator.REGION,
                Optional.of(fx.platform.emulator().endpoint()), user("export-worker-limited", fewer)))) {
            runEnforced(limited, job);
        }
        ExportJob done = fx.job(job.exportId());
        assertThat(done.status()).isEqualTo(ExportStatus.FAILED);
        assertThat(done.error().code()).as("the platform's own permissions are not the user's problem")
                .isEqualTo(ErrorCode.INTERNAL);
    }

    private static ExportJob job(String usecase) {
        ExportJob job = ExportJob.queued(ExportIds.newExportId(), usecase, TRAINING, WorkerFixture.USER,
                ExportOptions.DEFAULT, null, Instant.now());
        fx.jobs.create(job);
        return job;
    }

    private static void runEnforced(ExportJob job) {
        runEnforced(workerClients, job);
    }

    /** One invocation of a worker built on {@code clients}, with moto checking every request's permissions. */
    private static void runEnforced(AwsClients clients, ExportJob job) {
        ExportWorkerHandler handler = new ExportWorkerHandler(WorkerSetup.of(clients, fx.config()));
        enforceIam(true);
        try {
            handler.handleRequest(WorkerFixture.start(job), CountdownContext.ofMillis("export-worker", 15 * 60 * 1000));
        } finally {
            enforceIam(false);
        }
    }

    /** The worker's identity: an IAM user in the platform account allowed exactly WorkerConfig.IAM_ACTIONS. */
    private static StaticCredentialsProvider workerUser() {
        return user("export-worker", WorkerConfig.IAM_ACTIONS);
    }

    private static StaticCredentialsProvider user(String name, List<String> actions) {
        try (IamClient iam = iam(Accounts.PLATFORM)) {
            iam.createUser(r -> r.userName(name));
            iam.putUserPolicy(r -> r.userName(name).policyName("worker").policyDocument(policy(actions)));
            var key = iam.createAccessKey(r -> r.userName(name)).accessKey();
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(),
                    key.secretAccessKey()));
        }
    }

    private static String createRole(String account, String name, List<String> actions) {
        String trust = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"]}]}"""
                .formatted(Accounts.PLATFORM);
        try (IamClient iam = iam(account)) {
            String arn = iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(trust)).role().arn();
            iam.putRolePolicy(r -> r.roleName(name).policyName("logs").policyDocument(policy(actions)));
            return arn;
        }
    }

    private static String policy(List<String> actions) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + actions.stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(",", "[", "]"))
                + ",\"Resource\":\"*\"}]}";
    }

    private static IamClient iam(String account) {
        var settings = fx.platform.emulator().accountSettings(account);
        return IamClient.builder().region(Region.AWS_GLOBAL).credentialsProvider(settings.credentials())
                .endpointOverride(fx.platform.emulator().endpoint())
                .overrideConfiguration(o -> o.putHeader(AwsClients.MOTO_ACCOUNT_HEADER, account))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .build();
    }

    /** moto's switch: authenticate and authorise every request after the next N (0 = all; "inf" = none). */
    private static void enforceIam(boolean on) {
        URI uri = fx.platform.emulator().endpoint().resolve("/moto-api/reset-auth");
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofString(on ? "0" : "inf")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("moto reset-auth answered " + r.statusCode());
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
