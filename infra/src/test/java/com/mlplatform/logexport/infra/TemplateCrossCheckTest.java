package com.mlplatform.logexport.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.api.ApiConfig;
import com.mlplatform.logexport.emulator.CloudFormationTemplate;
import com.mlplatform.logexport.worker.WorkerConfig;
import com.mlplatform.logexport.worker.reconcile.ReconcilerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The templates agree with what the code declares ({@code ApiConfig}, {@code WorkerConfig}, the handler classes,
 * the OpenAPI document), and the check is real: each mutation of a copy of the templates that breaks one rule makes
 * the check report exactly that.
 */
class TemplateCrossCheckTest {

    private static final Path OPENAPI = InfraFiles.ROOT.resolve("request-api/src/main/resources/openapi.yaml");

    @TempDir
    Path dir;

    @Test
    void theTemplates_shouldAgreeWithTheCode() {
        var violations = new TemplateCrossCheck(InfraFiles.platform(), InfraFiles.PLATFORM_TEMPLATE.getParent(),
                InfraFiles.usecaseRole(), CodeContracts.all(), CodeContracts.usecaseRoleActions()).violations();

        assertThat(violations).as("template vs code").isEmpty();
    }

    @Test
    void apiCorsOrigins_shouldComeFromTheAllowedOriginsParameter() {
        var env = environment(InfraFiles.platform(), "RequestApiFunction");

        assertThat(Intrinsics.references(env.get(ApiConfig.ENV_CORS_ALLOWED_ORIGINS))).containsExactly("AllowedOrigins");
    }

    @Test
    void workerRoleSessions_shouldFitTheUseCaseRole_andTheSafetyMarginTheTimeout() {
        var env = environment(InfraFiles.platform(), "ExportWorkerFunction");
        long session = Long.parseLong(String.valueOf(env.get(WorkerConfig.ENV_ROLE_SESSION_SECONDS)));
        long maxSession = Long.parseLong(String.valueOf(InfraFiles.usecaseRole()
                .properties("PlatformLogExportReadRole").get("MaxSessionDuration")));
        long margin = Long.parseLong(String.valueOf(env.get(WorkerConfig.ENV_SAFETY_MARGIN_SECONDS)));
        @SuppressWarnings("unchecked")
        var timeouts = (List<Object>) ((Map<String, Map<String, Object>>) InfraFiles.platform().root()
                .get("Parameters")).get("WorkerTimeoutSeconds").get("AllowedValues");
        long shortestTimeout = timeouts.stream().mapToLong(t -> Long.parseLong(String.valueOf(t))).min().orElseThrow();

        assertThat(session).as("AssumeRole fails if DurationSeconds exceeds the role's MaxSessionDuration")
                .isLessThanOrEqualTo(maxSession);
        assertThat(margin).as("the checkpoint margin must leave most of the shortest timeout for work")
                .isLessThan(shortestTimeout / 4);
    }

    // ---------------------------------------------------------------- the check fails when the template is wrong

    @Test
    void removingAnActionTheCodeCalls_shouldBeReported() {
        var violations = mutate(t -> statement(t, "RequestApiRole", "ExportJobs")
                .put("Action", List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                        "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem")));

        assertThat(violations).containsExactly(
                "RequestApiFunction (role RequestApiRole): dynamodb:Query is called by the code (ApiConfig) but not "
                        + "granted");
    }

    @Test
    void removingAWorkerPermission_shouldBeReported() {
        var violations = mutate(t -> statement(t, "ExportWorkerRole", "AssumeUseCaseRoles")
                .put("Action", List.of("sts:AssumeRole")));

        assertThat(violations).containsExactly("ExportWorkerFunction (role ExportWorkerRole): sts:SetSourceIdentity is "
                + "called by the code (WorkerConfig) but not granted");
    }

    @Test
    void grantingMoreThanTheCodeCalls_shouldBeReported() {
        var violations = mutate(t -> statement(t, "RequestApiRole", "PresignDownloads")
                .put("Action", List.of("s3:GetObject", "s3:DeleteObject")));

        assertThat(violations).containsExactly("RequestApiFunction (role RequestApiRole): s3:DeleteObject is granted "
                + "but the code (ApiConfig) never calls it");
    }

    @Test
    void grantingOnEveryResource_shouldBeReported() {
        var violations = mutate(t -> statement(t, "ExportWorkerRole", "Continuations").put("Resource", "*"));

        assertThat(violations).anyMatch(v -> v.contains("sqs:SendMessage is granted on *"));
    }

    @Test
    void puttingEventsOnAnotherBus_thanTheOneTheFunctionIsToldAbout_shouldBeReported() {
        var violations = mutate(t -> statement(t, "ExportWorkerRole", "CompletionEvents").put("Resource",
                Map.of("Fn::Sub", "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/other")));

        assertThat(violations).singleElement().asString().startsWith("ExportWorkerFunction (role ExportWorkerRole): "
                + "events:PutEvents may only be granted on the event bus named by the parameter COMPLETION_EVENT_BUS "
                + "refers to (arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/"
                + "${CompletionEventBusName})");
    }

    @Test
    void assumingAnyRole_shouldBeReported() {
        var violations = mutate(t -> statement(t, "ExportWorkerRole", "AssumeUseCaseRoles")
                .put("Resource", "arn:aws:iam::*:role/*"));

        assertThat(violations).contains(
                "ExportWorkerFunction (role ExportWorkerRole): sts:AssumeRole is granted on arn:aws:iam::*:role/*, "
                        + "not on this stack's resources",
                "ExportWorkerFunction (role ExportWorkerRole): sts:SetSourceIdentity is granted on "
                        + "arn:aws:iam::*:role/*, not on this stack's resources");
    }

    @Test
    void platformReadingCloudWatchLogs_shouldBeReported() {
        var violations = mutate(t -> statement(t, "ExportWorkerRole", "OwnLogs")
                .put("Action", List.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:GetLogEvents")));

        assertThat(violations).anyMatch(v -> v.contains("logs:GetLogEvents reads CloudWatch Logs; the platform "
                + "account must not"));
    }

    @Test
    void theApiReadingEveryKey_shouldBeReported() {
        var violations = mutate(t -> statement(t, "RequestApiRole", "PresignDownloads")
                .put("Resource", Map.of("Fn::Sub", "${ExportBucket.Arn}/*")));

        assertThat(violations).containsExactly("RequestApiFunction (role RequestApiRole): s3:GetObject is granted on "
                + "keys *, but the code (ApiConfig) uses only [exports/*]");
    }

    @Test
    void theWorkerWithoutItsWorkPrefix_shouldBeReported() {
        var violations = mutate(t -> statement(t, "ExportWorkerRole", "WriteExports")
                .put("Resource", Map.of("Fn::Sub", "${ExportBucket.Arn}/exports/*")));

        assertThat(violations).containsExactly("ExportWorkerFunction (role ExportWorkerRole): the code (WorkerConfig) "
                + "uses keys work/*, but no S3 object action is granted on them");
    }

    @Test
    void theWorkerWithoutListBucket_shouldBeReported() {
        var violations = mutate(t -> statements(t, "ExportWorkerRole")
                .removeIf(s -> "MissingKeysAre404".equals(s.get("Sid"))));

        // The worker also lists its own prefixes when an export finishes (WorkerConfig.IAM_ACTIONS).
        assertThat(violations).containsExactly(
                "ExportWorkerFunction (role ExportWorkerRole): s3:ListBucket is called by the code (WorkerConfig) "
                        + "but not granted",
                "ExportWorkerFunction (role ExportWorkerRole): s3:ListBucket is not granted, so S3 answers 403 "
                        + "instead of 404 when a key the code reads back is missing");
    }

    @Test
    void listBucketWithoutAPrefixCondition_shouldBeReported() {
        var violations = mutate(t -> statement(t, "ExportWorkerRole", "MissingKeysAre404").remove("Condition"));

        assertThat(violations).containsExactly("ExportWorkerFunction (role ExportWorkerRole): s3:ListBucket lets the "
                + "function list every key of the bucket; condition it with StringLike s3:prefix [exports/*, work/*]");
    }

    @Test
    void listBucketOnOtherPrefixes_shouldBeReported() {
        var violations = mutate(t -> statement(t, "ExportWorkerRole", "MissingKeysAre404")
                .put("Condition", Map.of("StringLike", Map.of("s3:prefix", List.of("exports/*", "*")))));

        assertThat(violations).containsExactly("ExportWorkerFunction (role ExportWorkerRole): s3:ListBucket is "
                + "conditioned on s3:prefix [*, exports/*], but the code (WorkerConfig) uses exactly "
                + "[exports/*, work/*]");
    }

    @Test
    void listBucketOnKeys_shouldBeReported() {
        var violations = mutate(t -> statement(t, "ExportWorkerRole", "MissingKeysAre404")
                .put("Resource", Map.of("Fn::Sub", "${ExportBucket.Arn}/work/*")));

        assertThat(violations).containsExactly("ExportWorkerFunction (role ExportWorkerRole): s3:ListBucket is "
                + "granted on keys work/*; it applies to the bucket itself (!GetAtt <bucket>.Arn)");
    }

    @Test
    void listBucketForTheApi_shouldBeReported_becauseItOnlyPresignsFinishedExports() {
        var violations = mutate(t -> statements(t, "RequestApiRole").add(new LinkedHashMap<>(Map.of(
                "Sid", "List", "Effect", "Allow", "Action", "s3:ListBucket",
                "Resource", Map.of("Fn::GetAtt", List.of("ExportBucket", "Arn")),
                "Condition", Map.of("StringLike", Map.of("s3:prefix", List.of("exports/*")))))));

        assertThat(violations).containsExactly("RequestApiFunction (role RequestApiRole): s3:ListBucket is granted "
                + "but the code (ApiConfig) never calls it");
    }

    @Test
    void removingAnEnvironmentVariable_shouldBeReported() {
        var violations = mutate(t -> environment(t, "RequestApiFunction").remove(ApiConfig.ENV_USER_ID_CLAIM));

        assertThat(violations).containsExactly("RequestApiFunction: environment variable USER_ID_CLAIM is read by "
                + "the code (ApiConfig) but not set by the template");
    }

    @Test
    void removingAWorkerEnvironmentVariable_shouldBeReported() {
        var violations = mutate(t -> environment(t, "ExportWorkerFunction").remove("EXPORT_QUEUE_URL"));

        assertThat(violations).contains("ExportWorkerFunction: environment variable EXPORT_QUEUE_URL is read by the "
                + "code (WorkerConfig) but not set by the template");
    }

    @Test
    void pointingADeploymentAtTheEmulator_shouldBeReported() {
        var violations = mutate(t -> environment(t, "ExportWorkerFunction")
                .put("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"));

        assertThat(violations).containsExactly("ExportWorkerFunction: environment variable AWS_ENDPOINT_URL is for "
                + "the local emulator only");
    }

    @Test
    void aHandlerClassThatDoesNotExist_shouldBeReported() {
        var violations = mutate(t -> props(t, "ExportWorkerFunction")
                .put("Handler", "com.mlplatform.logexport.worker.NoSuchHandler::handleRequest"));

        assertThat(violations).containsExactly("ExportWorkerFunction: handler class "
                + "com.mlplatform.logexport.worker.NoSuchHandler does not exist");
    }

    @Test
    void aHandlerOfTheWrongEventType_shouldBeReported() {
        var violations = mutate(t -> props(t, "ExportWorkerFunction")
                .put("Handler", "com.mlplatform.logexport.api.RequestApiHandler::handleRequest"));

        assertThat(violations).anyMatch(v -> v.startsWith("ExportWorkerFunction: triggered by SQS, so "
                + "com.mlplatform.logexport.api.RequestApiHandler must handle SQSEvent"));
    }

    @Test
    void missingReportBatchItemFailures_shouldBeReported() {
        var violations = mutate(t -> sqsEvent(t).remove("FunctionResponseTypes"));

        assertThat(violations).containsExactly("ExportWorkerFunction: com.mlplatform.logexport.worker."
                + "ExportWorkerHandler returns SQSBatchResponse, but SQS event ExportRequests lacks "
                + "FunctionResponseTypes: [ReportBatchItemFailures] (one failed message would retry the whole batch)");
    }

    @Test
    void aVisibilityTimeoutBelowSixTimesTheWorkerTimeout_shouldBeReported() {
        var violations = mutate(t -> mappingRow(t, "900").put("QueueVisibilityTimeout", 3600));

        assertThat(violations).containsExactly("ExportWorkerFunction: with Timeout 900 s the visibility timeout of "
                + "ExportQueue is 3600 s, below 6x the function timeout");
    }

    @Test
    void aTimeoutWithoutAVisibilityRow_shouldNotPass() {
        // Allowing a new timeout (here 840 s) without mapping its visibility must fail the check, not slip by.
        var violations = mutate(t -> parameter(t, "WorkerTimeoutSeconds")
                .put("AllowedValues", List.of(300, 600, 840, 900)));

        assertThat(violations).containsExactly("ExportWorkerFunction: Timeout 840 s has no queue visibility timeout: "
                + "Fn::FindInMap: no WorkerTimeouts/840/QueueVisibilityTimeout in the template's Mappings");
    }

    @Test
    void aDeadLetterQueueTakingMessagesTooSoon_shouldBeReported() {
        var violations = mutate(t -> parameter(t, "MaxReceiveCount").put("MinValue", 3));

        assertThat(violations).containsExactly("ExportWorkerFunction SQS event ExportRequests: maxReceiveCount of "
                + "ExportQueue may be 3; it must be at least 5 (check the parameter's Default and MinValue)");
    }

    @Test
    void continuationsOnAnotherQueue_shouldBeReported() {
        var violations = mutate(t -> environment(t, "ExportWorkerFunction")
                .put("EXPORT_QUEUE_URL", Map.of("Ref", "ExportDeadLetterQueue")));

        assertThat(violations).anyMatch(v -> v.contains("continuation messages of long exports must use the same queue"));
    }

    @Test
    void anApiFunctionWithoutSnapStart_shouldBeReported() {
        var violations = mutate(t -> props(t, "RequestApiFunction").remove("SnapStart"));

        assertThat(violations).containsExactly(
                "RequestApiFunction: a function must have SnapStart ApplyOn: PublishedVersions");
    }

    @Test
    void aWorkerWithoutItsPublishedAlias_shouldBeReported() {
        var violations = mutate(t -> props(t, "ExportWorkerFunction").remove("AutoPublishAlias"));

        assertThat(violations).containsExactly(
                "ExportWorkerFunction: SnapStart only restores published versions; set AutoPublishAlias and invoke it");
    }

    @Test
    void aUseCaseRoleGrantingMoreThanTheWorkerReads_shouldBeReported() {
        var violations = mutateRole(r -> roleStatement(r).put("Action",
                List.of("logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents")));

        assertThat(violations).containsExactly("usecase-account-role.yaml PlatformLogExportReadRole: grants "
                + "[logs:DescribeLogStreams, logs:FilterLogEvents, logs:GetLogEvents], but the worker calls exactly "
                + "[logs:DescribeLogStreams, logs:GetLogEvents]");
    }

    @Test
    void aUseCaseRoleWithoutExternalId_shouldBeReported() {
        var violations = mutateRole(r -> trustStatement(r).remove("Condition"));

        assertThat(violations).containsExactly("usecase-account-role.yaml PlatformLogExportReadRole: must require "
                + "sts:ExternalId equal to the ExternalId parameter");
    }

    @Test
    void aUseCaseRoleTrustingAnyone_shouldBeReported() {
        var violations = mutateRole(r -> trustStatement(r).put("Principal", Map.of("AWS", "*")));

        assertThat(violations).anyMatch(v -> v.contains("must trust only the PlatformWorkerRoleArn parameter"));
    }

    @Test
    void aUseCaseRoleTheWorkerMayNotAssume_shouldBeReported() {
        var violations = mutate(t -> parameter(t, "UseCaseRoleArnPattern")
                .put("Default", "arn:aws:iam::*:role/SomeOtherRole"));

        assertThat(violations).anyMatch(v -> v.contains("does not match the platform's default UseCaseRoleArnPattern"));
    }

    @Test
    void anApiWithoutTheJwtAuthorizer_shouldBeReported() {
        var violations = mutateOpenApi(doc -> jwtScheme(doc).remove("x-amazon-apigateway-authorizer"));

        assertThat(violations).containsExactly(
                "HttpApi OpenAPI: no security scheme has an x-amazon-apigateway-authorizer of type jwt");
    }

    @Test
    void anApiRouteInvokingAnUnknownAlias_shouldBeReported() {
        var violations = mutateOpenApi(doc -> {
            @SuppressWarnings("unchecked")
            var paths = (Map<String, Map<String, Object>>) doc.get("paths");
            @SuppressWarnings("unchecked")
            var integration = (Map<String, Object>) paths.values().iterator().next().values().stream()
                    .filter(op -> op instanceof Map<?, ?> m && m.containsKey("x-amazon-apigateway-integration"))
                    .map(op -> ((Map<?, ?>) op).get("x-amazon-apigateway-integration")).findFirst().orElseThrow();
            integration.put("uri", Map.of("Fn::Sub", "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/"
                    + "2015-03-31/functions/${RequestApiFunction.Arn}:prod/invocations"));
        });

        assertThat(violations).anyMatch(v -> v.contains("invokes RequestApiFunction:prod, which is not a function of "
                + "the template with that AutoPublishAlias"));
    }

    // ---------------------------------------------------------------- mutation plumbing

    private List<String> mutate(Consumer<Map<String, Object>> platformMutation) {
        return run(platformMutation, r -> { }, d -> { });
    }

    private List<String> mutateRole(Consumer<Map<String, Object>> roleMutation) {
        return run(t -> { }, roleMutation, d -> { });
    }

    private List<String> mutateOpenApi(Consumer<Map<String, Object>> openApiMutation) {
        return run(t -> { }, r -> { }, openApiMutation);
    }

    /**
     * Copies the templates and the OpenAPI document into a temporary tree with the checkout's layout, mutates the
     * copies, and checks them. Fails first if the unmutated copy does not pass, so that each mutation test shows
     * the effect of its own change only.
     */
    @SuppressWarnings("unchecked")
    private List<String> run(Consumer<Map<String, Object>> platformMutation,
                             Consumer<Map<String, Object>> roleMutation,
                             Consumer<Map<String, Object>> openApiMutation) {
        try {
            Path infra = Files.createDirectories(dir.resolve("infra"));
            Path resources = Files.createDirectories(dir.resolve("request-api/src/main/resources"));
            var platform = (Map<String, Object>) TemplateFiles.deepCopy(InfraFiles.platform().root());
            var role = (Map<String, Object>) TemplateFiles.deepCopy(InfraFiles.usecaseRole().root());
            var openApi = (Map<String, Object>) TemplateFiles.deepCopy(CloudFormationTemplate.load(OPENAPI).root());
            platformMutation.accept(platform);
            roleMutation.accept(role);
            openApiMutation.accept(openApi);
            Path platformFile = Files.move(TemplateFiles.write(platform, infra), infra.resolve("platform.yaml"));
            Path roleFile = Files.move(TemplateFiles.write(role, infra), infra.resolve("role.yaml"));
            Files.move(TemplateFiles.write(openApi, resources), resources.resolve("openapi.yaml"));
            return new TemplateCrossCheck(CloudFormationTemplate.load(platformFile), infra,
                    CloudFormationTemplate.load(roleFile), CodeContracts.all(), CodeContracts.usecaseRoleActions())
                    .violations();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anAbortIncompleteUploadsRuleShorterThanTheMaxExportAge_shouldBeReported() {
        var violations = mutate(t -> abortIncompleteUploads(t).put("DaysAfterInitiation", 1));

        assertThat(violations).containsExactly("ExportBucket: AbortIncompleteMultipartUpload after 86400 s would abort "
                + "the upload of an export still allowed to run (RECONCILER_MAX_EXPORT_AGE_SECONDS up to 86400 s)");
    }

    @Test
    void aMaxExportAgeBeyondTheAbortIncompleteUploadsRule_shouldBeReported() {
        var violations = mutate(t -> environment(t, "ExportReconcilerFunction")
                .put(ReconcilerConfig.ENV_MAX_EXPORT_AGE_SECONDS, "172800"));

        assertThat(violations).containsExactly("ExportBucket: AbortIncompleteMultipartUpload after 172800 s would "
                + "abort the upload of an export still allowed to run (RECONCILER_MAX_EXPORT_AGE_SECONDS up to "
                + "172800 s)");
    }

    @Test
    void aScheduledHandlerOfTheWrongEventType_shouldBeReported() {
        var violations = mutate(t -> props(t, "ExportReconcilerFunction")
                .put("Handler", "com.mlplatform.logexport.worker.ExportWorkerHandler::handleRequest"));

        assertThat(violations).contains("ExportReconcilerFunction: run by an EventBridge schedule, so "
                + "com.mlplatform.logexport.worker.ExportWorkerHandler must handle ScheduledEvent, handles class "
                + "com.amazonaws.services.lambda.runtime.events.SQSEvent");
    }

    @Test
    void aReconcilerWithoutTheIndexQuery_shouldBeReported() {
        var violations = mutate(t -> statement(t, "ExportReconcilerRole", "ActiveExports")
                .put("Action", "dynamodb:Scan"));

        assertThat(violations).contains(
                "ExportReconcilerFunction (role ExportReconcilerRole): dynamodb:Query is called by the code "
                        + "(ReconcilerConfig) but not granted",
                "ExportReconcilerFunction (role ExportReconcilerRole): dynamodb:Scan is granted but the code "
                        + "(ReconcilerConfig) never calls it");
    }

    @Test
    void theUnmutatedCopy_shouldPass() {
        assertThat(run(t -> { }, r -> { }, d -> { })).as("copying alone must not produce violations").isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> props(Map<String, Object> root, String logicalId) {
        return (Map<String, Object>) ((Map<String, Map<String, Object>>) root.get("Resources")).get(logicalId)
                .get("Properties");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> root, String function) {
        return (Map<String, Object>) ((Map<String, Object>) props(root, function).get("Environment")).get("Variables");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(CloudFormationTemplate template, String function) {
        return (Map<String, Object>) ((Map<String, Object>) template.properties(function).get("Environment"))
                .get("Variables");
    }

    private static Map<String, Object> statement(Map<String, Object> root, String role, String sid) {
        return statements(root, role).stream().filter(s -> sid.equals(s.get("Sid"))).findFirst()
                .orElseThrow(() -> new AssertionError("no statement " + sid + " in " + role));
    }

    /** The statements of the role's one inline policy, as a mutable list. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Map<String, Object> root, String role) {
        var policies = (List<Map<String, Object>>) props(root, role).get("Policies");
        assertThat(policies).as("inline policies of " + role).hasSize(1);
        return (List<Map<String, Object>>) ((Map<String, Object>) policies.get(0).get("PolicyDocument"))
                .get("Statement");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sqsEvent(Map<String, Object> root) {
        var events = (Map<String, Map<String, Object>>) props(root, "ExportWorkerFunction").get("Events");
        return (Map<String, Object>) events.get("ExportRequests").get("Properties");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameter(Map<String, Object> root, String name) {
        return ((Map<String, Map<String, Object>>) root.get("Parameters")).get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> abortIncompleteUploads(Map<String, Object> root) {
        var rules = (List<Map<String, Object>>) ((Map<String, Object>) props(root, "ExportBucket")
                .get("LifecycleConfiguration")).get("Rules");
        return (Map<String, Object>) rules.get(0).get("AbortIncompleteMultipartUpload");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mappingRow(Map<String, Object> root, String key) {
        return ((Map<String, Map<String, Map<String, Object>>>) root.get("Mappings")).get("WorkerTimeouts").get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> roleStatement(Map<String, Object> root) {
        var policies = (List<Map<String, Object>>) props(root, "PlatformLogExportReadRole").get("Policies");
        return ((List<Map<String, Object>>) ((Map<String, Object>) policies.get(0).get("PolicyDocument"))
                .get("Statement")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> trustStatement(Map<String, Object> root) {
        return ((List<Map<String, Object>>) ((Map<String, Object>) props(root, "PlatformLogExportReadRole")
                .get("AssumeRolePolicyDocument")).get("Statement")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jwtScheme(Map<String, Object> doc) {
        return ((Map<String, Map<String, Map<String, Object>>>) doc.get("components")).get("securitySchemes")
                .get("jwt");
    }
}
