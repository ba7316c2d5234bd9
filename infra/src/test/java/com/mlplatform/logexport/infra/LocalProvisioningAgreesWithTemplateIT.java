package com.mlplatform.logexport.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mlplatform.logexport.emulator.CloudFormationTemplate;
import com.mlplatform.logexport.emulator.EmulatedPlatform;
import com.mlplatform.logexport.emulator.TemplateProvisioner;
import com.mlplatform.logexport.shared.aws.AwsClients;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ContinuousBackupsStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.SSEStatus;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What {@code ./dev up} and every integration test get from the emulator is what {@code infra/template.yaml} says:
 * the tables, queues and bucket are read back from the emulator (DescribeTable, GetQueueAttributes, GetBucket*)
 * and compared with the template's properties, resolved with the same parameter values.
 */
class LocalProvisioningAgreesWithTemplateIT {

    private static EmulatedPlatform platform;
    private static CloudFormationTemplate template;
    private static AwsClients clients;

    @BeforeAll
    static void provision() {
        platform = EmulatedPlatform.fresh();
        template = InfraFiles.platform().withParameterValues(TemplateProvisioner.LOCAL_PARAMETER_VALUES);
        clients = platform.platformClients();
    }

    @AfterAll
    static void close() {
        clients.close();
    }

    @Test
    void everyDataResourceOfTheTemplate_shouldBeProvisioned() {
        var provisioned = platform.provisioned().physicalIds().keySet();

        for (String type : TemplateProvisioner.APPLIED_PROPERTIES.keySet()) {
            assertThat(provisioned).as("provisioned %s resources", type)
                    .containsAll(template.resourcesOfType(type));
        }
    }

    @Test
    void tables_shouldMatchTheTemplate() {
        DynamoDbClient dynamo = clients.dynamo();
        for (String id : template.resourcesOfType(TemplateProvisioner.TABLE)) {
            Map<String, Object> props = resolved(id);
            String name = platform.provisioned().physicalIds().get(id);
            TableDescription table = dynamo.describeTable(r -> r.tableName(name)).table();

            assertThat(table.billingModeSummary().billingModeAsString()).as("%s billing mode", id)
                    .isEqualTo(props.get("BillingMode"));
            assertThat(keys(table.keySchema())).as("%s key schema", id).isEqualTo(keys(list(props, "KeySchema")));
            assertThat(table.attributeDefinitions().stream()
                    .collect(Collectors.toMap(a -> a.attributeName(), a -> a.attributeTypeAsString())))
                    .as("%s attribute definitions", id)
                    .isEqualTo(list(props, "AttributeDefinitions").stream().collect(Collectors.toMap(
                            a -> (String) a.get("AttributeName"), a -> (String) a.get("AttributeType"))));
            assertThat(gsis(table)).as("%s global secondary indexes", id).isEqualTo(templateGsis(props));

            var ttl = map(props, "TimeToLiveSpecification");
            var ttlDescription = dynamo.describeTimeToLive(r -> r.tableName(name)).timeToLiveDescription();
            if (ttl == null) {
                assertThat(ttlDescription.timeToLiveStatus()).as("%s TTL", id).isNotEqualTo(TimeToLiveStatus.ENABLED);
            } else {
                assertThat(ttlDescription.timeToLiveStatus()).as("%s TTL", id).isEqualTo(TimeToLiveStatus.ENABLED);
                assertThat(ttlDescription.attributeName()).as("%s TTL attribute", id)
                        .isEqualTo(ttl.get("AttributeName"));
            }

            var pitr = map(props, "PointInTimeRecoverySpecification");
            var backups = dynamo.describeContinuousBackups(r -> r.tableName(name)).continuousBackupsDescription();
            boolean pitrWanted = pitr != null && Boolean.TRUE.equals(pitr.get("PointInTimeRecoveryEnabled"));
            assertThat(backups.continuousBackupsStatus()).isEqualTo(ContinuousBackupsStatus.ENABLED);
            assertThat(backups.pointInTimeRecoveryDescription().pointInTimeRecoveryStatus())
                    .as("%s point-in-time recovery", id)
                    .isEqualTo(pitrWanted ? PointInTimeRecoveryStatus.ENABLED : PointInTimeRecoveryStatus.DISABLED);

            var sse = map(props, "SSESpecification");
            if (sse != null && Boolean.TRUE.equals(sse.get("SSEEnabled"))) {
                assertThat(table.sseDescription()).as("%s encryption", id).isNotNull();
                assertThat(table.sseDescription().status()).as("%s encryption", id).isEqualTo(SSEStatus.ENABLED);
            }
        }
    }

    @Test
    void queues_shouldMatchTheTemplate() {
        SqsClient sqs = clients.sqs();
        for (String id : template.resourcesOfType(TemplateProvisioner.QUEUE)) {
            Map<String, Object> props = resolved(id);
            String url = platform.provisioned().physicalIds().get(id);
            var attributes = sqs.getQueueAttributes(r -> r.queueUrl(url)
                    .attributeNames(QueueAttributeName.ALL)).attributes();

            assertThat(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT)).as("%s visibility timeout", id)
                    .isEqualTo(String.valueOf(props.get("VisibilityTimeout") == null ? 30
                            : props.get("VisibilityTimeout")));
            assertThat(attributes.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD)).as("%s retention", id)
                    .isEqualTo(String.valueOf(props.get("MessageRetentionPeriod")));
            assertThat(attributes.get(QueueAttributeName.SQS_MANAGED_SSE_ENABLED)).as("%s SSE", id)
                    .isEqualTo(String.valueOf(props.get("SqsManagedSseEnabled")));

            var redrive = map(props, "RedrivePolicy");
            if (redrive == null) {
                assertThat(attributes).as("%s redrive policy", id).doesNotContainKey(QueueAttributeName.REDRIVE_POLICY);
            } else {
                var actual = readJson(attributes.get(QueueAttributeName.REDRIVE_POLICY));
                assertThat(actual.path("deadLetterTargetArn").asText()).as("%s dead-letter target", id)
                        .isNotBlank().isEqualTo(redrive.get("deadLetterTargetArn"));
                assertThat(actual.path("maxReceiveCount").asText()).as("%s maxReceiveCount", id)
                        .isEqualTo(String.valueOf(redrive.get("maxReceiveCount")));
            }
        }
    }

    @Test
    void bucket_shouldMatchTheTemplate() {
        S3Client s3 = clients.s3();
        for (String id : template.resourcesOfType(TemplateProvisioner.BUCKET)) {
            Map<String, Object> props = resolved(id);
            String bucket = platform.provisioned().physicalIds().get(id);

            var ownership = list(map(props, "OwnershipControls"), "Rules").get(0).get("ObjectOwnership");
            assertThat(s3.getBucketOwnershipControls(r -> r.bucket(bucket)).ownershipControls().rules())
                    .as("%s object ownership", id)
                    .extracting(r -> r.objectOwnershipAsString()).containsExactly((String) ownership);

            var block = map(props, "PublicAccessBlockConfiguration");
            var actualBlock = s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration();
            assertThat(Map.of("BlockPublicAcls", actualBlock.blockPublicAcls(),
                    "BlockPublicPolicy", actualBlock.blockPublicPolicy(),
                    "IgnorePublicAcls", actualBlock.ignorePublicAcls(),
                    "RestrictPublicBuckets", actualBlock.restrictPublicBuckets()))
                    .as("%s public access block", id).isEqualTo(block);

            var algorithm = ((Map<?, ?>) list(map(props, "BucketEncryption"), "ServerSideEncryptionConfiguration")
                    .get(0).get("ServerSideEncryptionByDefault")).get("SSEAlgorithm");
            assertThat(s3.getBucketEncryption(r -> r.bucket(bucket)).serverSideEncryptionConfiguration().rules())
                    .as("%s default encryption", id)
                    .extracting(r -> r.applyServerSideEncryptionByDefault().sseAlgorithmAsString())
                    .containsExactly((String) algorithm);

            var rules = list(map(props, "LifecycleConfiguration"), "Rules");
            var actualRules = s3.getBucketLifecycleConfiguration(r -> r.bucket(bucket)).rules();
            assertThat(actualRules).as("%s lifecycle rules", id).hasSameSizeAs(rules);
            for (var rule : rules) {
                var actual = actualRules.stream().filter(r -> r.id().equals(rule.get("Id"))).findFirst()
                        .orElseThrow(() -> new AssertionError("lifecycle rule " + rule.get("Id") + " missing"));
                assertThat(actual.statusAsString()).isEqualTo(rule.get("Status"));
                assertThat(actual.expiration().days()).as("expiration days of %s", rule.get("Id"))
                        .isEqualTo(Integer.valueOf(String.valueOf(rule.get("ExpirationInDays"))));
                assertThat(actual.abortIncompleteMultipartUpload().daysAfterInitiation())
                        .as("abort incomplete multipart upload of %s", rule.get("Id"))
                        .isEqualTo(Integer.valueOf(String.valueOf(map(rule, "AbortIncompleteMultipartUpload")
                                .get("DaysAfterInitiation"))));
            }

            var corsRules = list(map(props, "CorsConfiguration"), "CorsRules");
            var actualCors = s3.getBucketCors(r -> r.bucket(bucket)).corsRules();
            assertThat(actualCors).as("%s CORS rules", id).hasSameSizeAs(corsRules);
            for (int i = 0; i < corsRules.size(); i++) {
                var want = corsRules.get(i);
                var got = actualCors.get(i);
                assertThat(got.allowedMethods()).as("CORS methods").isEqualTo(want.get("AllowedMethods"));
                assertThat(got.allowedOrigins()).as("CORS origins").isEqualTo(want.get("AllowedOrigins"));
                assertThat(got.exposeHeaders()).as("CORS exposed headers").isEqualTo(want.get("ExposedHeaders"));
                assertThat(got.maxAgeSeconds()).as("CORS max age")
                        .isEqualTo(Integer.valueOf(String.valueOf(want.get("MaxAge"))));
            }
        }
    }

    @Test
    void provisioning_shouldRefuse_aTemplatePropertyItDoesNotApply(@TempDir Path tempDir) {
        // A new property in the template (here a DynamoDB stream) must not be silently dropped locally.
        @SuppressWarnings("unchecked")
        var root = (Map<String, Object>) TemplateFiles.deepCopy(InfraFiles.platform().root());
        @SuppressWarnings("unchecked")
        var table = (Map<String, Object>) ((Map<String, Map<String, Object>>) root.get("Resources"))
                .get(TemplateProvisioner.EXPORTS_TABLE).get("Properties");
        table.put("StreamSpecification", Map.of("StreamViewType", "NEW_IMAGE"));
        var mutated = TemplateFiles.write(root, tempDir);

        assertThatThrownBy(() -> new TemplateProvisioner(CloudFormationTemplate.load(mutated), clients)
                .provision("drift"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("StreamSpecification");
    }

    // ---------------------------------------------------------------- helpers

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resolved(String id) {
        var attributes = new HashMap<String, Object>();
        platform.provisioned().queueArns().forEach((logicalId, arn) -> attributes.put(logicalId + ".Arn", arn));
        return (Map<String, Object>) template.resolve(template.properties(id), Map.of(), attributes);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> props, String key) {
        return (Map<String, Object>) props.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> props, String key) {
        return (List<Map<String, Object>>) props.getOrDefault(key, List.of());
    }

    private static Map<String, String> keys(List<?> schema) {
        return schema.stream().collect(Collectors.toMap(
                k -> k instanceof KeySchemaElement e ? e.attributeName() : (String) ((Map<?, ?>) k).get("AttributeName"),
                k -> k instanceof KeySchemaElement e ? e.keyTypeAsString() : (String) ((Map<?, ?>) k).get("KeyType")));
    }

    private record Gsi(Map<String, String> keys, String projection, Set<String> nonKeyAttributes) {
    }

    private static Map<String, Gsi> gsis(TableDescription table) {
        if (!table.hasGlobalSecondaryIndexes()) {
            return Map.of();
        }
        return table.globalSecondaryIndexes().stream().collect(Collectors.toMap(g -> g.indexName(),
                g -> new Gsi(keys(g.keySchema()), g.projection().projectionTypeAsString(),
                        Set.copyOf(g.projection().nonKeyAttributes()))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Gsi> templateGsis(Map<String, Object> props) {
        return list(props, "GlobalSecondaryIndexes").stream().collect(Collectors.toMap(
                g -> (String) g.get("IndexName"),
                g -> new Gsi(keys(list(g, "KeySchema")), (String) map(g, "Projection").get("ProjectionType"),
                        Set.copyOf((List<String>) map(g, "Projection").getOrDefault("NonKeyAttributes", List.of())))));
    }

    private static com.fasterxml.jackson.databind.JsonNode readJson(String json) {
        try {
            return com.mlplatform.logexport.shared.json.Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
