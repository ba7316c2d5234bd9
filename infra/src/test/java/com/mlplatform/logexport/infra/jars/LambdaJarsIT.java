package com.mlplatform.logexport.infra.jars;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.emulator.Emulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The deployment jars the template points at (CodeUri) exist after {@code package} and carry the url-connection SDK
 * HTTP client only. The enforcer rule bans Netty/Apache as dependencies; this checks what actually got shaded in.
 * Runs as an IT because failsafe runs after the Lambda modules are packaged in the reactor.
 */
class LambdaJarsIT {

    private static final List<String> FORBIDDEN_PREFIXES = List.of(
            "io/netty/", "org/apache/http/", "org/apache/hc/",
            "software/amazon/awssdk/http/apache/", "software/amazon/awssdk/http/apache5/",
            "software/amazon/awssdk/http/nio/netty/");

    @ParameterizedTest
    @CsvSource({
            "export-worker, com/mlplatform/logexport/worker/ExportWorkerHandler.class",
            "request-api, com/mlplatform/logexport/api/RequestApiHandler.class"})
    void lambdaJar_shouldContainHandlerAndUrlConnectionClient_only(String module, String handlerClass)
            throws IOException {
        Path jar = Emulator.projectRoot().resolve(module).resolve("target").resolve(module + "-lambda.jar");
        assertThat(jar).as("run `./mvnw package` first; infra/template.yaml deploys this file").exists();

        try (JarFile file = new JarFile(jar.toFile())) {
            var names = file.stream().map(e -> e.getName()).toList();
            assertThat(names).contains(handlerClass,
                    "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class");
            assertThat(names).as("no Netty or Apache HTTP client in a Lambda jar")
                    .noneMatch(n -> FORBIDDEN_PREFIXES.stream().anyMatch(n::startsWith));
        }
        // Issue #11's budget: a deployment jar carries what its handlers call and no more (docs/deploy.md,
        // "Deployment jars"). A new SDK operation or library that breaks it deserves a look at lambda-jar.pro.
        assertThat(Files.size(jar)).as("deployment jar size").isLessThanOrEqualTo(12L * 1024 * 1024);
    }
}
