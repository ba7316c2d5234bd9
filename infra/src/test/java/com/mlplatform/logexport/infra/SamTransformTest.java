package com.mlplatform.logexport.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.shared.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real AWS SAM transform (aws-sam-translator, pinned in requirements-dev.txt) accepts infra/template.yaml and
 * makes of it what the design needs: cfn-lint validates SAM resources against schemas only, this runs the code that
 * CloudFormation runs at deploy time (see {@code infra/src/test/python/sam_transform.py}).
 */
class SamTransformTest {

    private static final Path SCRIPT = InfraFiles.ROOT.resolve("infra/src/test/python/sam_transform.py");

    private static JsonNode resources;
    private static JsonNode localCode;

    @BeforeAll
    static void transform() throws Exception {
        JsonNode out = run(InfraFiles.PLATFORM_TEMPLATE, false);
        assertThat(out.has("errors")).as("SAM rejected the template: %s", out.path("errors")).isFalse();
        resources = out.path("template").path("Resources");
        localCode = out.path("localCode");
    }

    @Test
    void functions_shouldDeployTheJarsTheBuildMakes() {
        assertThat(localCode.path("RequestApiFunction").asText())
                .isEqualTo("../request-api/target/request-api-lambda.jar");
        assertThat(localCode.path("ExportWorkerFunction").asText())
                .isEqualTo("../export-worker/target/export-worker-lambda.jar");
    }

    @Test
    void requestApi_shouldBeASnapStartFunction_invokedByTheApiThroughItsLiveAlias() {
        JsonNode function = resources.path("RequestApiFunction").path("Properties");
        assertThat(function.path("SnapStart").path("ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(function.path("Runtime").asText()).isEqualTo("java21");
        assertThat(function.path("Architectures").toString()).isEqualTo("[\"arm64\"]");

        String alias = liveAliasOf("RequestApiFunction");
        assertThat(resources.path("RequestApiInvokePermission").path("Properties").path("FunctionName")
                .path("Ref").asText()).as("the permission targets the alias SAM generates").isEqualTo(alias);
    }

    @Test
    void workerAndReconciler_shouldBeSnapStartFunctions_triggeredThroughTheirLiveAliases() {
        for (String function : List.of("ExportWorkerFunction", "ExportReconcilerFunction")) {
            assertThat(resources.path(function).path("Properties").path("SnapStart").path("ApplyOn").asText())
                    .as(function).isEqualTo("PublishedVersions");
        }
        JsonNode mapping = resources.path("ExportWorkerFunctionExportRequests").path("Properties");
        assertThat(mapping.path("FunctionName").path("Ref").asText()).as("the queue feeds the restored version")
                .isEqualTo(liveAliasOf("ExportWorkerFunction"));
        JsonNode rule = resources.path("ExportReconcilerFunctionEveryFiveMinutes").path("Properties");
        assertThat(rule.path("Targets").get(0).path("Arn").path("Ref").asText())
                .as("the schedule invokes the restored version").isEqualTo(liveAliasOf("ExportReconcilerFunction"));
    }

    @Test
    void worker_shouldGetAnSqsEventSourceThatReportsBatchItemFailures() {
        assertThat(logicalIdsOf("AWS::Lambda::EventSourceMapping"))
                .containsExactlyInAnyOrder("ExportWorkerFunctionExportRequests", "BatchFanoutFunctionBatches");
        JsonNode mapping = resources.path("ExportWorkerFunctionExportRequests").path("Properties");

        assertThat(mapping.path("FunctionResponseTypes").toString()).isEqualTo("[\"ReportBatchItemFailures\"]");
        assertThat(mapping.path("ScalingConfig").path("MaximumConcurrency").path("Ref").asText())
                .isEqualTo("WorkerMaximumConcurrency");
        assertThat(mapping.path("BatchSize").path("Ref").asText()).isEqualTo("WorkerBatchSize");
        assertThat(mapping.path("EventSourceArn").path("Fn::GetAtt").get(0).asText()).isEqualTo("ExportQueue");
    }

    @Test
    void fanout_shouldGetAnSqsEventSourceThatReportsBatchItemFailures_oneBatchAtATime() {
        JsonNode mapping = resources.path("BatchFanoutFunctionBatches").path("Properties");

        assertThat(mapping.path("FunctionResponseTypes").toString()).isEqualTo("[\"ReportBatchItemFailures\"]");
        assertThat(mapping.path("BatchSize").asInt()).isEqualTo(1);
        assertThat(mapping.path("EventSourceArn").path("Fn::GetAtt").get(0).asText()).isEqualTo("BatchFanoutQueue");
    }

    @Test
    void reconcilerAndFanoutSweep_shouldRunEveryFiveMinutes_fromEventBridgeRules() {
        assertThat(logicalIdsOf("AWS::Events::Rule")).containsExactlyInAnyOrder(
                "ExportReconcilerFunctionEveryFiveMinutes", "FanoutSweepFunctionEveryFiveMinutes");
        for (String function : List.of("ExportReconcilerFunction", "FanoutSweepFunction")) {
            JsonNode rule = resources.path(function + "EveryFiveMinutes").path("Properties");
            assertThat(rule.path("ScheduleExpression").asText()).isEqualTo("rate(5 minutes)");
        }
        // The sweep is not a SnapStart function (a five-minute schedule, cold starts do not matter): it is
        // invoked directly; the reconciler through its live alias (workerAndReconciler_shouldBeSnapStart…).
        assertThat(resources.path("FanoutSweepFunctionEveryFiveMinutes").path("Properties").path("Targets").get(0)
                .path("Arn").path("Fn::GetAtt").get(0).asText()).isEqualTo("FanoutSweepFunction");
    }

    @Test
    void samAddsNoRoleOrPolicyOfItsOwn() {
        List<String> roles = logicalIdsOf("AWS::IAM::Role");
        assertThat(roles).as("only the template's explicit, checked roles")
                .containsExactlyInAnyOrder("RequestApiRole", "ExportWorkerRole", "ExportReconcilerRole",
                        "BatchFanoutRole", "FanoutSweepRole");
        assertThat(logicalIdsOf("AWS::IAM::Policy")).isEmpty();
        assertThat(logicalIdsOf("AWS::IAM::ManagedPolicy")).isEmpty();
    }

    @Test
    void httpApi_shouldCarryTheOpenApiRoutes_theJwtAuthorizer_andAnAccessLog() {
        JsonNode body = resources.path("HttpApi").path("Properties").path("Body");
        assertThat(body.path("paths").size()).as("routes from request-api's openapi.yaml").isGreaterThan(1);
        assertThat(body.path("components").path("securitySchemes").path("jwt")
                .path("x-amazon-apigateway-authorizer").path("type").asText()).isEqualTo("jwt");

        JsonNode stage = resources.path(logicalIdOf("AWS::ApiGatewayV2::Stage")).path("Properties");
        assertThat(stage.path("AccessLogSettings").path("DestinationArn").path("Fn::GetAtt").get(0).asText())
                .isEqualTo("ApiAccessLogGroup");
    }

    @Test
    void theTemplate_shouldAlsoTransform_ifSamSeesTheIncludeUnexpanded() throws Exception {
        // Whichever order CloudFormation runs the nested AWS::Include and the Serverless transform in, SAM must
        // accept the template: nothing here asks SAM to edit the API's body.
        JsonNode out = run(InfraFiles.PLATFORM_TEMPLATE, true);

        assertThat(out.has("errors")).as("SAM rejected the template: %s", out.path("errors")).isFalse();
    }

    @Test
    void aTemplateSamCannotTransform_shouldBeRejected(@TempDir Path dir) throws Exception {
        // Guards the check itself: an SQS event without its queue is invalid SAM.
        Path infra = Files.createDirectories(dir.resolve("infra"));
        Path copy = infra.resolve("template.yaml");
        Files.writeString(copy, Files.readString(InfraFiles.PLATFORM_TEMPLATE)
                .replace("            Queue: !GetAtt ExportQueue.Arn\n", ""));
        Path api = Files.createDirectories(dir.resolve("request-api/src/main/resources"));
        Files.copy(InfraFiles.ROOT.resolve("request-api/src/main/resources/openapi.yaml"), api.resolve("openapi.yaml"));

        JsonNode out = run(copy, false);

        assertThat(out.path("errors").toString()).contains("ExportWorkerFunction").contains("Queue");
    }

    // ---------------------------------------------------------------- helpers

    /** The `live` alias SAM generates for {@code function} (AutoPublishAlias). */
    private static String liveAliasOf(String function) {
        List<String> aliases = logicalIdsOf("AWS::Lambda::Alias").stream()
                .filter(id -> function.equals(resources.path(id).path("Properties").path("FunctionName")
                        .path("Ref").asText()))
                .filter(id -> "live".equals(resources.path(id).path("Properties").path("Name").asText()))
                .toList();
        assertThat(aliases).as("live aliases of %s", function).hasSize(1);
        return aliases.get(0);
    }

    private static String logicalIdOf(String type) {
        List<String> ids = logicalIdsOf(type);
        assertThat(ids).as("resources of type %s", type).hasSize(1);
        return ids.get(0);
    }

    private static List<String> logicalIdsOf(String type) {
        List<String> ids = new ArrayList<>();
        resources.properties().forEach(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                ids.add(e.getKey());
            }
        });
        return ids;
    }

    private static JsonNode run(Path template, boolean keepIncludes) throws IOException, InterruptedException {
        Path python = InfraFiles.ROOT.resolve(".venv/bin/python");
        if (!Files.isExecutable(python) || !Files.isDirectory(InfraFiles.ROOT.resolve(".venv/lib"))) {
            throw new AssertionError("The project's .venv is missing; run ./dev setup (installs aws-sam-translator "
                    + "as pinned in requirements-dev.txt)");
        }
        List<String> command = new ArrayList<>(List.of(python.toString(), SCRIPT.toString(), template.toString()));
        if (keepIncludes) {
            command.add("--keep-includes");
        }
        var builder = new ProcessBuilder(command);
        builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        Path errors = Files.createTempFile("sam-transform", ".err");
        builder.redirectError(errors.toFile());
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("sam_transform.py did not finish: " + command);
        }
        String stderr = Files.readString(errors);
        Files.deleteIfExists(errors);
        if (stderr.contains("No module named 'samtranslator'")) {
            throw new AssertionError("aws-sam-translator is not installed in .venv; run ./dev setup");
        }
        String stdout = new String(out, StandardCharsets.UTF_8);
        if (stdout.isBlank()) {
            throw new AssertionError("sam_transform.py printed nothing (exit " + process.exitValue() + "): " + stderr);
        }
        return Json.MAPPER.readTree(stdout);
    }
}
