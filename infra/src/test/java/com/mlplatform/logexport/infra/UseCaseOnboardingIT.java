package com.mlplatform.logexport.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.emulator.Accounts;
import com.mlplatform.logexport.emulator.EmulatedPlatform;
import com.mlplatform.logexport.emulator.Emulator;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.shared.usecase.UseCaseRegistry;
import java.io.File;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The onboarding script ({@code infra/scripts/usecase.sh}) on the emulator, through the real AWS CLI:
 * {@code deploy-role} deploys {@code infra/usecase-account-role.yaml} with CloudFormation inside a use-case account,
 * the platform can then assume that role with the ExternalId and read the account's training logs; and
 * {@code register}/{@code add-members}/{@code remove-members} write exactly what {@link UseCaseRegistry} (the code
 * both Lambdas use) reads.
 */
class UseCaseOnboardingIT {

    private static final Path SCRIPT = InfraFiles.ROOT.resolve("infra/scripts/usecase.sh");
    private static final String LOG_GROUP = UseCase.DEFAULT_LOG_GROUP;

    private static EmulatedPlatform platform;
    private static AwsClients clients;
    private static UseCaseRegistry registry;
    private static String table;

    @BeforeAll
    static void start() {
        platform = EmulatedPlatform.fresh();
        clients = platform.platformClients();
        table = platform.resources().usecasesTable();
        registry = new UseCaseRegistry(clients.dynamo(), table);
    }

    @AfterAll
    static void close() {
        clients.close();
    }

    @Test
    void register_shouldWriteWhatTheRegistryReads_andMembersChangeInPlace() throws Exception {
        String roleArn = "arn:aws:iam::" + Accounts.USECASE_A + ":role/PlatformLogExportReadRole";

        run(platformEnv(), "register", "--table", table, "--usecase", "uc-onboard", "--role-arn", roleArn,
                "--external-id", "ext-onboard-1", "--region", "eu-west-1", "--members", "alice, bob@example.com")
                .assertOk();

        UseCase registered = registry.find("uc-onboard").orElseThrow();
        assertThat(registered).isEqualTo(new UseCase("uc-onboard", Accounts.USECASE_A, roleArn, "ext-onboard-1",
                "eu-west-1", LOG_GROUP, Set.of("alice", "bob@example.com")));

        run(platformEnv(), "add-members", "--table", table, "--usecase", "uc-onboard", "carol").assertOk();
        run(platformEnv(), "remove-members", "--table", table, "--usecase", "uc-onboard", "alice").assertOk();
        assertThat(registry.find("uc-onboard").orElseThrow().members()).containsExactlyInAnyOrder("bob@example.com",
                "carol");

        var shown = run(platformEnv(), "show", "--table", table, "--usecase", "uc-onboard").assertOk();
        assertThat(Json.MAPPER.readTree(shown.output()).path("Item").path("roleArn").path("S").asText())
                .isEqualTo(roleArn);
    }

    @Test
    void register_shouldRefuseToOverwriteAUseCase_unlessToldTo() {
        String roleArn = "arn:aws:iam::" + Accounts.USECASE_B + ":role/PlatformLogExportReadRole";
        run(platformEnv(), "register", "--table", table, "--usecase", "uc-twice", "--role-arn", roleArn,
                "--external-id", "ext-1", "--region", "us-east-1").assertOk();

        var again = run(platformEnv(), "register", "--table", table, "--usecase", "uc-twice", "--role-arn", roleArn,
                "--external-id", "ext-2", "--region", "us-east-1");
        assertThat(again.exitCode()).as("second register without --replace").isNotZero();
        assertThat(again.output()).contains("ConditionalCheckFailed");
        assertThat(registry.find("uc-twice").orElseThrow().externalId()).isEqualTo("ext-1");

        run(platformEnv(), "register", "--table", table, "--usecase", "uc-twice", "--role-arn", roleArn,
                "--external-id", "ext-2", "--region", "us-east-1", "--replace").assertOk();
        assertThat(registry.find("uc-twice").orElseThrow().externalId()).isEqualTo("ext-2");
        assertThat(registry.find("uc-twice").orElseThrow().members()).isEmpty();
    }

    @Test
    void register_shouldRejectValuesThatWouldBreakTheItem() {
        var result = run(platformEnv(), "register", "--table", table, "--usecase", "uc-bad\",\"x", "--role-arn",
                "arn:aws:iam::" + Accounts.USECASE_A + ":role/R", "--external-id", "e", "--region", "us-east-1");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("--usecase contains characters that are not allowed");
        assertThat(registry.find("uc-bad")).isEmpty();
    }

    @Test
    void deployRole_shouldCreateTheTemplatesRole_inTheUseCaseAccount_thatThePlatformCanAssume() throws Exception {
        String account = Accounts.USECASE_B;
        String workerRoleArn = "arn:aws:iam::" + Accounts.PLATFORM + ":role/logexport-ExportWorkerRole-TEST";
        try (var seeder = platform.seeder(account)) {
            seeder.putEvents(LOG_GROUP, "onboarded-job/algo-1-1700000000",
                    List.of(new Event(System.currentTimeMillis() - 1_000, "hello from the use case")));
        }

        var deployed = run(useCaseAccountEnv(account), "deploy-role", "--worker-role-arn", workerRoleArn,
                "--external-id", "ext-deploy-1").assertOk();
        String roleArn = deployed.lastLine();

        assertThat(roleArn).as("the role is created in the use-case account, under the template's default name")
                .isEqualTo("arn:aws:iam::" + account + ":role/PlatformLogExportReadRole");
        assertThat(grantedActions(account, "PlatformLogExportReadRole"))
                .as("what the deployed role grants is what the template says (and TemplateCrossCheck ties that to "
                        + "WorkerConfig.USECASE_ROLE_ACTIONS)")
                .containsExactlyElementsOf(new TreeSet<>(CodeContracts.usecaseRoleActions()));

        var sts = clients.sts();
        var c = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("logs-onboard-test")
                .externalId("ext-deploy-1")).credentials();
        var assumed = StaticCredentialsProvider.create(
                AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
        try (var logs = clients.logs(assumed, Emulator.REGION)) {
            var events = logs.getLogEvents(r -> r.logGroupName(LOG_GROUP)
                    .logStreamName("onboarded-job/algo-1-1700000000").startFromHead(true)).events();
            assertThat(events).extracting(e -> e.message()).containsExactly("hello from the use case");
        }
    }

    // ---------------------------------------------------------------- helpers

    private record Result(int exitCode, String output, List<String> command) {
        Result assertOk() {
            assertThat(exitCode).as("%s failed:%n%s", command, output).isZero();
            return this;
        }

        String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1].strip();
        }
    }

    /** Runs the script with only the given AWS environment (no profile, no config files of this machine). */
    private static Result run(Map<String, String> awsEnv, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_CLI", awsCli());
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_PAGER", "");
        env.put("AWS_DEFAULT_REGION", Emulator.REGION.id());
        env.put("AWS_ENDPOINT_URL", platform.emulator().endpoint().toString());
        env.putAll(awsEnv);
        try {
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), command);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("could not run " + command, e);
        }
    }

    /** The AWS CLI the platform team would use. Missing means failing with instructions, not skipping. */
    private static String awsCli() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "aws");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("The AWS CLI ('aws') is not on PATH; infra/scripts/usecase.sh needs it. Install "
                + "AWS CLI v2 (https://aws.amazon.com/cli/) or v1 (pip install awscli), then re-run.");
    }

    private static Map<String, String> platformEnv() {
        var credentials = clients.settings().credentials().resolveCredentials();
        return Map.of("AWS_ACCESS_KEY_ID", credentials.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
    }

    /**
     * Credentials that act inside {@code account}, as an administrator of that account would have: a role there,
     * assumed. (The emulator maps assumed-role keys to the role's account; plain keys land in the platform's.)
     */
    private static Map<String, String> useCaseAccountEnv(String account) {
        String trust = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},
                 "Action":"sts:AssumeRole"}]}""".formatted(Accounts.PLATFORM);
        String arn;
        try (IamClient iam = iam(account)) {
            arn = iam.createRole(r -> r.roleName("OnboardingAdmin").assumeRolePolicyDocument(trust)).role().arn();
        }
        var sts = clients.sts();
        var c = sts.assumeRole(r -> r.roleArn(arn).roleSessionName("onboarding-admin")).credentials();
        return Map.of("AWS_ACCESS_KEY_ID", c.accessKeyId(), "AWS_SECRET_ACCESS_KEY", c.secretAccessKey(),
                "AWS_SESSION_TOKEN", c.sessionToken());
    }

    /** The actions of every inline policy of a role in {@code account}. */
    private static Set<String> grantedActions(String account, String roleName) {
        Set<String> actions = new TreeSet<>();
        try (IamClient iam = iam(account)) {
            for (String policy : iam.listRolePolicies(r -> r.roleName(roleName)).policyNames()) {
                String document = URLDecoder.decode(iam.getRolePolicy(r -> r.roleName(roleName).policyName(policy))
                        .policyDocument(), StandardCharsets.UTF_8);
                // Parsed as YAML: AWS returns JSON, moto returns policies it created from a stack as a Python
                // literal ({'Version': ...}); both are YAML flow mappings.
                Map<String, Object> parsed = new Yaml().load(document);
                for (Object statement : (List<?>) parsed.get("Statement")) {
                    Object action = ((Map<?, ?>) statement).get("Action");
                    if (action instanceof List<?> list) {
                        list.forEach(a -> actions.add(String.valueOf(a)));
                    } else {
                        actions.add(String.valueOf(action));
                    }
                }
            }
        }
        return actions;
    }

    private static IamClient iam(String account) {
        AwsSettings s = platform.emulator().accountSettings(account);
        var builder = IamClient.builder().region(Region.AWS_GLOBAL).credentialsProvider(s.credentials());
        s.endpointOverride().ifPresent(builder::endpointOverride);
        s.emulatedAccountId().ifPresent(a -> builder.overrideConfiguration(o -> o.putHeader(
                AwsClients.MOTO_ACCOUNT_HEADER, a)));
        return builder.build();
    }
}
