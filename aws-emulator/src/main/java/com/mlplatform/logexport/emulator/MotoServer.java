package com.mlplatform.logexport.emulator;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * moto server from the project's virtualenv ({@code .venv}, created by {@code ./dev test} / {@code ./dev up}), on a
 * free loopback port, stopped when the JVM exits.
 *
 * <p>Never sets {@code MOTO_ACCOUNT_ID}: the platform is moto's default account and use-case accounts are chosen
 * per request, so cross-account access is real (assumed-role credentials map to the role's account).
 */
final class MotoServer implements EmulatorServer {

    /** Pinned in one place; {@code ./dev} installs exactly this (see requirements-dev.txt). */
    static final String VERSION = "5.2.5";

    private static final String LAUNCHER = "moto_atomic_server.py";

    private final Process process;
    private final URI endpoint;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static MotoServer start(Path projectRoot) {
        Path binary = locate(projectRoot);
        // The free port is found by binding and closing a socket; another process may take it before moto binds
        // it (several builds on one CI host). Such a start fails fast, so try a few ports.
        EmulatorUnavailableException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return start(projectRoot, binary, freePort());
            } catch (EmulatorUnavailableException e) {
                last = e;
            }
        }
        throw last;
    }

    private static MotoServer start(Path projectRoot, Path binary, int port) {
        Path log = projectRoot.resolve("target").resolve("moto-" + port + ".log");
        try {
            Files.createDirectories(log.getParent());
            Path launcher = extractLauncher(log.getParent().resolve("moto-" + port + "-" + LAUNCHER));
            // moto_server's own interpreter runs our launcher, which makes DynamoDB writes atomic (see the script).
            Path python = binary.resolveSibling("python");
            Process process = new ProcessBuilder(List.of(python.toString(), launcher.toString(), "-H", "127.0.0.1",
                    "-p", Integer.toString(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            awaitUp(process, endpoint, log);
            return new MotoServer(process, endpoint);
        } catch (IOException e) {
            throw new EmulatorUnavailableException("could not start " + binary + ": " + e.getMessage(), e);
        }
    }

    private static Path extractLauncher(Path script) throws IOException {
        try (var in = MotoServer.class.getResourceAsStream(LAUNCHER)) {
            if (in == null) {
                throw new IllegalStateException(LAUNCHER + " missing from the aws-emulator jar");
            }
            Files.write(script, in.readAllBytes());
        }
        return script;
    }

    private static Path locate(Path projectRoot) {
        String explicit = System.getenv("MOTO_SERVER_BIN");
        Path candidate = explicit != null ? Path.of(explicit) : projectRoot.resolve(".venv/bin/moto_server");
        if (!Files.isExecutable(candidate)) {
            throw new EmulatorUnavailableException("""
                    No AWS emulator is available for the integration tests.
                      looked for moto server at: %s (not found)
                    Get one of:
                      - run ./dev test (or ./dev setup), which installs moto[server]==%s into .venv;
                      - or: python3 -m venv .venv && .venv/bin/pip install 'moto[server]==%s';
                      - or start a Docker engine (Testcontainers LocalStack is used then);
                      - or set AWS_ENDPOINT_URL to a running AWS-compatible server.
                    """.formatted(candidate, VERSION, VERSION), null);
        }
        return candidate;
    }

    private static void awaitUp(Process process, URI endpoint, Path log) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new EmulatorUnavailableException("moto server exited at start; its output:\n"
                        + Files.readString(log), null);
            }
            if (isMoto(endpoint)) {
                // A moto that someone else started on this port answers too, while ours dies on the taken port.
                sleep(300);
                if (process.isAlive()) {
                    return;
                }
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new EmulatorUnavailableException("moto server did not answer within 60 s; see " + log, null);
    }

    static boolean isMoto(URI endpoint) {
        try {
            var conn = (HttpURLConnection) endpoint.resolve("/moto-api/data.json").toURL().openConnection();
            conn.setConnectTimeout(500);
            conn.setReadTimeout(2000);
            int code = conn.getResponseCode();
            conn.disconnect();
            return code == 200;
        } catch (IOException e) {
            return false;
        }
    }

    static void tryReset(URI endpoint) {
        try {
            var conn = (HttpURLConnection) endpoint.resolve("/moto-api/reset").toURL().openConnection();
            conn.setRequestMethod("POST");
            conn.setConnectTimeout(1000);
            int code = conn.getResponseCode();
            conn.disconnect();
            if (code != 200) {
                throw new IllegalStateException("moto reset answered HTTP " + code);
            }
        } catch (IOException e) {
            throw new IllegalStateException("moto reset failed: " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmulatorUnavailableException("no free loopback port: " + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public String describe() {
        return "moto server " + VERSION + " at " + endpoint + " (pid " + process.pid() + ")";
    }

    @Override
    public void reset() {
        tryReset(endpoint);
    }

    @Override
    public boolean supportsAccountHeader() {
        return true;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

}
