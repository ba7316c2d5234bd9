package com.mlplatform.logexport.emulator;

import java.net.HttpURLConnection;
import java.net.URI;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/** Testcontainers LocalStack, used when a Docker engine is reachable. */
final class LocalStackServer implements EmulatorServer {

    /** The one place the LocalStack image is pinned. */
    static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.9.2");

    private final LocalStackContainer container;

    LocalStackServer() {
        container = new LocalStackContainer(IMAGE);
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token != null && !token.isBlank()) {
            container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
        }
        container.start();
    }

    @Override
    public URI endpoint() {
        return container.getEndpoint();
    }

    @Override
    public String describe() {
        return "Testcontainers LocalStack " + IMAGE;
    }

    @Override
    public void reset() {
        try {
            var conn = (HttpURLConnection) endpoint().resolve("/_localstack/state/reset").toURL().openConnection();
            conn.setRequestMethod("POST");
            conn.getResponseCode();
            conn.disconnect();
        } catch (Exception e) {
            // Older/community images lack the reset endpoint; the provisioner's fresh names keep tests apart.
        }
    }

    @Override
    public boolean supportsAccountHeader() {
        return false;
    }

    @Override
    public void close() {
        container.stop();
    }
}
