package com.mlplatform.logexport.emulator;

import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The AWS-compatible server the tests and the local stack talk to, chosen once per JVM:
 * <ol>
 *   <li>{@code AWS_ENDPOINT_URL}, if set;</li>
 *   <li>else Testcontainers LocalStack, if a Docker engine is reachable;</li>
 *   <li>else moto server from the project's {@code .venv}.</li>
 * </ol>
 * If none can be had, {@link #shared()} throws {@link EmulatorUnavailableException} with instructions: the tests fail,
 * they never skip.
 */
public final class Emulator {

    public static final Region REGION = Region.US_EAST_1;

    private static Emulator shared;

    private final EmulatorServer server;

    private Emulator(EmulatorServer server) {
        this.server = server;
    }

    /** The JVM-wide emulator, started on first use and stopped at exit. */
    public static synchronized Emulator shared() {
        if (shared == null) {
            shared = new Emulator(select());
            Runtime.getRuntime().addShutdownHook(new Thread(shared.server::close, "emulator-stop"));
            System.err.println("[aws-emulator] using " + shared.server.describe());
        }
        return shared;
    }

    private static EmulatorServer select() {
        String endpoint = System.getenv(AwsSettings.ENV_ENDPOINT);
        if (endpoint != null && !endpoint.isBlank()) {
            return new ExternalEndpoint(URI.create(endpoint));
        }
        if (dockerAvailable()) {
            return new LocalStackServer();
        }
        return MotoServer.start(projectRoot());
    }

    private static boolean dockerAvailable() {
        if (Files.exists(Path.of("/var/run/docker.sock")) || System.getenv("DOCKER_HOST") != null) {
            try {
                return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }
        return false;
    }

    /** The checkout's root: the {@code project.root} system property (set by Maven), else the nearest mvnw. */
    public static Path projectRoot() {
        String configured = System.getProperty("project.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("mvnw")) && Files.exists(p.resolve("infra"))) {
                return p;
            }
        }
        return dir;
    }

    public URI endpoint() {
        return server.endpoint();
    }

    public String describe() {
        return server.describe();
    }

    public void reset() {
        server.reset();
    }

    /** Settings for the platform account: what the Lambdas get from their environment locally. */
    public AwsSettings platformSettings() {
        return settingsFor(Accounts.PLATFORM, false);
    }

    /**
     * Settings that act inside {@code accountId} directly. For seeding use-case accounts (roles, training logs)
     * only: the code under test must reach a use-case account through AssumeRole.
     */
    public AwsSettings accountSettings(String accountId) {
        return settingsFor(accountId, true);
    }

    /** New clients for the platform account; the caller owns them and closes them when done. */
    public AwsClients platformClients() {
        return new AwsClients(platformSettings());
    }

    /** New clients that act inside {@code accountId} (see {@link #accountSettings}); the caller closes them. */
    public AwsClients accountClients(String accountId) {
        return new AwsClients(accountSettings(accountId));
    }

    private AwsSettings settingsFor(String accountId, boolean selectAccount) {
        // LocalStack picks the account from a 12-digit access key id; moto from its header (and ignores the key).
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                server.supportsAccountHeader() ? "testing" : accountId, "testing"));
        Optional<String> header = selectAccount && server.supportsAccountHeader() ? Optional.of(accountId)
                : Optional.empty();
        return new AwsSettings(REGION, Optional.of(server.endpoint()), credentials, header);
    }
}
