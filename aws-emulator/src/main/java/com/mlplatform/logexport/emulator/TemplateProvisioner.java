package com.mlplatform.logexport.emulator;

import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.config.PlatformResources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the platform account's tables, queues and bucket in the emulator from {@code infra/template.yaml}: key
 * schemas, GSIs, TTL, visibility timeout and redrive policy are read from the template, not repeated here.
 * Physical names are {@code <stackName>-<LogicalId>}, as CloudFormation would derive them.
 */
public final class TemplateProvisioner {

    public static final String EXPORTS_TABLE = "ExportsTable";
    public static final String USECASES_TABLE = "UseCasesTable";
    public static final String EXPORT_QUEUE = "ExportQueue";
    public static final String EXPORT_DLQ = "ExportDeadLetterQueue";
    public static final String EXPORT_BUCKET = "ExportBucket";

    private final CloudFormationTemplate template;
    private final AwsClients clients;

    public TemplateProvisioner(CloudFormationTemplate template, AwsClients platformClients) {
        this.template = template;
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
    }

    public Provisioned provision(String stackName) {
        Map<String, Object> refs = new LinkedHashMap<>();
        Map<String, Object> attributes = new HashMap<>();
        Map<String, String> queueArns = new LinkedHashMap<>();
        try (DynamoDbClient dynamo = clients.dynamo(); SqsClient sqs = clients.sqs(); S3Client s3 = clients.s3()) {
            for (String id : template.resourcesOfType("AWS::DynamoDB::Table")) {
                String name = physicalName(stackName, id);
                createTable(dynamo, name, template.properties(id));
                refs.put(id, name);
            }
            // Queues without a redrive policy first: the others point at their ARNs.
            List<String> queues = new ArrayList<>(template.resourcesOfType("AWS::SQS::Queue"));
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
            for (String id : template.resourcesOfType("AWS::S3::Bucket")) {
                String name = physicalName(stackName, id).toLowerCase();
                s3.createBucket(r -> r.bucket(name));
                refs.put(id, name);
            }
        }
        Map<String, String> physical = new LinkedHashMap<>();
        refs.forEach((k, v) -> physical.put(k, String.valueOf(v)));
        return new Provisioned(physical, queueArns);
    }

    static String physicalName(String stackName, String logicalId) {
        return stackName + "-" + logicalId;
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
                        .projection(Projection.builder().projectionType(ProjectionType.fromValue(
                                (String) ((Map<String, Object>) g.get("Projection")).get("ProjectionType"))).build())
                        .build())
                .toList();
        dynamo.createTable(r -> {
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
