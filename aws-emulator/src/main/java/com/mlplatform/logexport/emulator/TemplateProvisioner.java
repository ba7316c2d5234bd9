package com.mlplatform.logexport.emulator;

import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.config.PlatformResources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.OwnershipControlsRule;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the platform account's tables, queues and bucket in the emulator from {@code infra/template.yaml}: key
 * schemas, GSIs, TTL, PITR, encryption, visibility timeout, redrive policy and the bucket's access, lifecycle and
 * CORS settings are read from the template, not repeated here. Physical names are {@code <stackName>-<LogicalId>},
 * as CloudFormation would derive them.
 *
 * <p>Every property of a provisioned resource must be in {@link #APPLIED_PROPERTIES}: a template property this
 * class does not apply fails provisioning, so local and cloud cannot drift silently.
 */
public final class TemplateProvisioner {

    public static final String EXPORTS_TABLE = "ExportsTable";
    public static final String USECASES_TABLE = "UseCasesTable";
    public static final String EXPORT_QUEUE = "ExportQueue";
    public static final String EXPORT_DLQ = "ExportDeadLetterQueue";
    public static final String BATCH_FANOUT_QUEUE = "BatchFanoutQueue";
    public static final String EXPORT_BUCKET = "ExportBucket";

    public static final String TABLE = "AWS::DynamoDB::Table";
    public static final String QUEUE = "AWS::SQS::Queue";
    public static final String BUCKET = "AWS::S3::Bucket";

    /** The template properties applied locally, per provisioned resource type. */
    public static final Map<String, Set<String>> APPLIED_PROPERTIES = Map.of(
            TABLE, Set.of("BillingMode", "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes",
                    "TimeToLiveSpecification", "PointInTimeRecoverySpecification", "SSESpecification"),
            QUEUE, Set.of("VisibilityTimeout", "MessageRetentionPeriod", "SqsManagedSseEnabled", "RedrivePolicy"),
            BUCKET, Set.of("OwnershipControls", "PublicAccessBlockConfiguration", "BucketEncryption",
                    "LifecycleConfiguration", "CorsConfiguration"));

    /**
     * Values for template parameters that have no default on purpose (a deployer must choose them), used locally
     * unless the caller's template already gives one. Locally any origin may call.
     */
    public static final Map<String, String> LOCAL_PARAMETER_VALUES = Map.of("AllowedOrigins", "*");

    private final CloudFormationTemplate template;
    private final AwsClients clients;

    public TemplateProvisioner(CloudFormationTemplate template, AwsClients platformClients) {
        Map<String, String> missing = new LinkedHashMap<>();
        LOCAL_PARAMETER_VALUES.forEach((name, value) -> {
            if (template.parameterValue(name) == null) {
                missing.put(name, value);
            }
        });
        this.template = template.withParameterValues(missing);
        this.clients = platformClients;
    }

    /** What was created, by logical id: table/bucket names and queue URLs, plus queue ARNs. */
    public record Provisioned(Map<String, String> physicalIds, Map<String, String> queueArns) {
        public PlatformResources platformResources() {
            return new PlatformResources(physicalIds.get(EXPORTS_TABLE), physicalIds.get(USECASES_TABLE),
                    physicalIds.get(EXPORT_QUEUE), physicalIds.get(EXPORT_BUCKET));
        }

        public String dlqUrl() {
            return physicalIds.get(EXPORT_DLQ);
        }

        public String fanoutQueueUrl() {
            return physicalIds.get(BATCH_FANOUT_QUEUE);
        }
    }

    @SuppressWarnings("unchecked")
    public Provisioned provision(String stackName) {
        requireEveryPropertyApplied();
        Map<String, Object> refs = new LinkedHashMap<>();
        Map<String, Object> attributes = new HashMap<>();
        Map<String, String> queueArns = new LinkedHashMap<>();
        DynamoDbClient dynamo = clients.dynamo();
        SqsClient sqs = clients.sqs();
        S3Client s3 = clients.s3();
        for (String id : template.resourcesOfType(TABLE)) {
            String name = physicalName(stackName, id);
            createTable(dynamo, name, (Map<String, Object>) template.resolve(template.properties(id), refs,
                    attributes));
            refs.put(id, name);
        }
        // Queues without a redrive policy first: the others point at their ARNs.
        List<String> queues = new ArrayList<>(template.resourcesOfType(QUEUE));
        queues.sort((a, b) -> Boolean.compare(template.properties(a).containsKey("RedrivePolicy"),
                template.properties(b).containsKey("RedrivePolicy")));
        for (String id : queues) {
            String name = physicalName(stackName, id);
            String url = createQueue(sqs, name, template.properties(id), refs, attributes);
            String arn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            refs.put(id, url);
            attributes.put(id + ".Arn", arn);
            attributes.put(id + ".QueueName", name);
            queueArns.put(id, arn);
        }
        for (String id : template.resourcesOfType(BUCKET)) {
            String name = physicalName(stackName, id).toLowerCase();
            s3.createBucket(r -> r.bucket(name));
            configureBucket(s3, name, (Map<String, Object>) template.resolve(template.properties(id), refs,
                    attributes));
            refs.put(id, name);
        }
        Map<String, String> physical = new LinkedHashMap<>();
        refs.forEach((k, v) -> physical.put(k, String.valueOf(v)));
        return new Provisioned(physical, queueArns);
    }

    static String physicalName(String stackName, String logicalId) {
        return stackName + "-" + logicalId;
    }

    private void requireEveryPropertyApplied() {
        APPLIED_PROPERTIES.forEach((type, applied) -> {
            for (String id : template.resourcesOfType(type)) {
                Set<String> unknown = new TreeSet<>(template.properties(id).keySet());
                unknown.removeAll(applied);
                if (!unknown.isEmpty()) {
                    throw new IllegalStateException("infra/template.yaml gives " + id + " (" + type + ") properties "
                            + unknown + " that local provisioning does not apply; teach TemplateProvisioner to "
                            + "apply them so the emulator matches the cloud");
                }
            }
        });
    }

    @SuppressWarnings("unchecked")
    private void createTable(DynamoDbClient dynamo, String name, Map<String, Object> props) {
        var attributes = ((List<Map<String, Object>>) props.get("AttributeDefinitions")).stream()
                .map(a -> AttributeDefinition.builder().attributeName((String) a.get("AttributeName"))
                        .attributeType((String) a.get("AttributeType")).build())
                .toList();
        var gsis = ((List<Map<String, Object>>) props.getOrDefault("GlobalSecondaryIndexes", List.of())).stream()
                .map(g -> GlobalSecondaryIndex.builder()
                        .indexName((String) g.get("IndexName"))
                        .keySchema(keySchema((List<Map<String, Object>>) g.get("KeySchema")))
                        .projection(projection((Map<String, Object>) g.get("Projection")))
                        .build())
                .toList();
        var sse = (Map<String, Object>) props.get("SSESpecification");
        dynamo.createTable(r -> {
            if (sse != null) {
                r.sseSpecification(x -> x.enabled(Boolean.TRUE.equals(sse.get("SSEEnabled"))));
            }
            r.tableName(name)
                    .billingMode(BillingMode.fromValue(String.valueOf(props.getOrDefault("BillingMode",
                            "PAY_PER_REQUEST"))))
                    .attributeDefinitions(attributes)
                    .keySchema(keySchema((List<Map<String, Object>>) props.get("KeySchema")));
            if (!gsis.isEmpty()) {
                r.globalSecondaryIndexes(gsis);
            }
        });
        var ttl = (Map<String, Object>) props.get("TimeToLiveSpecification");
        if (ttl != null && Boolean.TRUE.equals(ttl.get("Enabled"))) {
            dynamo.updateTimeToLive(r -> r.tableName(name).timeToLiveSpecification(t -> t
                    .attributeName((String) ttl.get("AttributeName")).enabled(true)));
        }
        var pitr = (Map<String, Object>) props.get("PointInTimeRecoverySpecification");
        if (pitr != null && Boolean.TRUE.equals(pitr.get("PointInTimeRecoveryEnabled"))) {
            dynamo.updateContinuousBackups(r -> r.tableName(name)
                    .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
        }
    }

    @SuppressWarnings("unchecked")
    private static void configureBucket(S3Client s3, String bucket, Map<String, Object> props) {
        var ownership = (Map<String, Object>) props.get("OwnershipControls");
        if (ownership != null) {
            var rules = ((List<Map<String, Object>>) ownership.get("Rules")).stream()
                    .map(r -> OwnershipControlsRule.builder()
                            .objectOwnership(ObjectOwnership.fromValue((String) r.get("ObjectOwnership"))).build())
                    .toList();
            s3.putBucketOwnershipControls(r -> r.bucket(bucket).ownershipControls(o -> o.rules(rules)));
        }
        var block = (Map<String, Object>) props.get("PublicAccessBlockConfiguration");
        if (block != null) {
            s3.putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(b -> b
                    .blockPublicAcls(flag(block, "BlockPublicAcls"))
                    .blockPublicPolicy(flag(block, "BlockPublicPolicy"))
                    .ignorePublicAcls(flag(block, "IgnorePublicAcls"))
                    .restrictPublicBuckets(flag(block, "RestrictPublicBuckets"))));
        }
        var encryption = (Map<String, Object>) props.get("BucketEncryption");
        if (encryption != null) {
            var rules = ((List<Map<String, Object>>) encryption.get("ServerSideEncryptionConfiguration")).stream()
                    .map(r -> (Map<String, Object>) r.get("ServerSideEncryptionByDefault"))
                    .map(d -> ServerSideEncryptionRule.builder().applyServerSideEncryptionByDefault(x -> x
                            .sseAlgorithm(ServerSideEncryption.fromValue((String) d.get("SSEAlgorithm"))))
                            .build())
                    .toList();
            s3.putBucketEncryption(r -> r.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(rules)));
        }
        var lifecycle = (Map<String, Object>) props.get("LifecycleConfiguration");
        if (lifecycle != null) {
            var rules = ((List<Map<String, Object>>) lifecycle.get("Rules")).stream()
                    .map(TemplateProvisioner::lifecycleRule).toList();
            s3.putBucketLifecycleConfiguration(r -> r.bucket(bucket)
                    .lifecycleConfiguration(BucketLifecycleConfiguration.builder().rules(rules).build()));
        }
        var cors = (Map<String, Object>) props.get("CorsConfiguration");
        if (cors != null) {
            var rules = ((List<Map<String, Object>>) cors.get("CorsRules")).stream()
                    .map(TemplateProvisioner::corsRule).toList();
            s3.putBucketCors(r -> r.bucket(bucket).corsConfiguration(c -> c.corsRules(rules)));
        }
    }

    /**
     * An S3 lifecycle rule from the template's. A CloudFormation rule without {@code Prefix} or {@code Filter}
     * covers the whole bucket; the S3 API wants that said explicitly, as an empty prefix.
     *
     * @see <a href="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-rule.html">AWS::S3::Bucket Rule</a>
     */
    @SuppressWarnings("unchecked")
    private static LifecycleRule lifecycleRule(Map<String, Object> rule) {
        var b = LifecycleRule.builder()
                .id((String) rule.get("Id"))
                .status(String.valueOf(rule.get("Status")))
                .filter(f -> f.prefix(String.valueOf(rule.getOrDefault("Prefix", ""))));
        if (rule.get("ExpirationInDays") != null) {
            b.expiration(e -> e.days(Integer.valueOf(String.valueOf(rule.get("ExpirationInDays")))));
        }
        var abort = (Map<String, Object>) rule.get("AbortIncompleteMultipartUpload");
        if (abort != null) {
            b.abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(
                    Integer.valueOf(String.valueOf(abort.get("DaysAfterInitiation")))));
        }
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static CORSRule corsRule(Map<String, Object> rule) {
        var b = CORSRule.builder()
                .id((String) rule.get("Id"))
                .allowedMethods((List<String>) rule.get("AllowedMethods"))
                .allowedOrigins((List<String>) rule.get("AllowedOrigins"));
        if (rule.get("AllowedHeaders") != null) {
            b.allowedHeaders((List<String>) rule.get("AllowedHeaders"));
        }
        if (rule.get("ExposedHeaders") != null) {
            b.exposeHeaders((List<String>) rule.get("ExposedHeaders"));
        }
        if (rule.get("MaxAge") != null) {
            b.maxAgeSeconds(Integer.valueOf(String.valueOf(rule.get("MaxAge"))));
        }
        return b.build();
    }

    private static boolean flag(Map<String, Object> props, String key) {
        return Boolean.parseBoolean(String.valueOf(props.get(key)));
    }

    /** ProjectionType, and for INCLUDE the NonKeyAttributes the index copies. */
    @SuppressWarnings("unchecked")
    private static Projection projection(Map<String, Object> projection) {
        var b = Projection.builder()
                .projectionType(ProjectionType.fromValue((String) projection.get("ProjectionType")));
        if (projection.get("NonKeyAttributes") instanceof List<?> attributes) {
            b.nonKeyAttributes((List<String>) attributes);
        }
        return b.build();
    }

    private static List<KeySchemaElement> keySchema(List<Map<String, Object>> elements) {
        return elements.stream().map(k -> KeySchemaElement.builder()
                .attributeName((String) k.get("AttributeName")).keyType((String) k.get("KeyType")).build()).toList();
    }

    @SuppressWarnings("unchecked")
    private String createQueue(SqsClient sqs, String name, Map<String, Object> props, Map<String, Object> refs,
                               Map<String, Object> attributes) {
        Map<String, Object> resolved = (Map<String, Object>) template.resolve(props, refs, attributes);
        Map<QueueAttributeName, String> attrs = new HashMap<>();
        copy(resolved, "VisibilityTimeout", attrs, QueueAttributeName.VISIBILITY_TIMEOUT);
        copy(resolved, "MessageRetentionPeriod", attrs, QueueAttributeName.MESSAGE_RETENTION_PERIOD);
        copy(resolved, "SqsManagedSseEnabled", attrs, QueueAttributeName.SQS_MANAGED_SSE_ENABLED);
        var redrive = (Map<String, Object>) resolved.get("RedrivePolicy");
        if (redrive != null) {
            attrs.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\""
                    + Objects.requireNonNull(redrive.get("deadLetterTargetArn"), "deadLetterTargetArn")
                    + "\",\"maxReceiveCount\":" + redrive.get("maxReceiveCount") + "}");
        }
        return sqs.createQueue(r -> r.queueName(name).attributes(attrs)).queueUrl();
    }

    private static void copy(Map<String, Object> props, String key, Map<QueueAttributeName, String> attrs,
                             QueueAttributeName name) {
        Object v = props.get(key);
        if (v != null) {
            attrs.put(name, String.valueOf(v));
        }
    }
}
