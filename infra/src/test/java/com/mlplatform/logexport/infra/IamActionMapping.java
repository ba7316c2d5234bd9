package com.mlplatform.logexport.infra;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * The IAM actions an SDK operation needs (AWS Service Authorization Reference). Most are {@code service:Operation};
 * the exceptions are listed. An operation not listed maps to {@code service:Operation}, so a new kind of call
 * fails the check until someone declares what it needs.
 */
final class IamActionMapping {

    /** SDK service names (SdkExecutionAttribute.SERVICE_NAME) to IAM service prefixes. */
    private static final Map<String, String> PREFIXES = Map.of(
            "DynamoDb", "dynamodb", "Sqs", "sqs", "S3", "s3", "Sts", "sts", "CloudWatchLogs", "logs", "Iam", "iam",
            "EventBridge", "events");

    /** Operations authorised by another action than their own name. */
    private static final Map<String, Set<String>> EXCEPTIONS = Map.ofEntries(
            Map.entry("sqs:SendMessageBatch", Set.of("sqs:SendMessage")),
            Map.entry("sqs:DeleteMessageBatch", Set.of("sqs:DeleteMessage")),
            Map.entry("sqs:ChangeMessageVisibilityBatch", Set.of("sqs:ChangeMessageVisibility")),
            Map.entry("s3:CreateMultipartUpload", Set.of("s3:PutObject")),
            Map.entry("s3:UploadPart", Set.of("s3:PutObject")),
            Map.entry("s3:CompleteMultipartUpload", Set.of("s3:PutObject")),
            Map.entry("s3:HeadObject", Set.of("s3:GetObject")),
            Map.entry("s3:ListParts", Set.of("s3:ListMultipartUploadParts")),
            Map.entry("s3:DeleteObjects", Set.of("s3:DeleteObject")),
            Map.entry("s3:ListObjectsV2", Set.of("s3:ListBucket")),
            Map.entry("s3:HeadBucket", Set.of("s3:ListBucket")),
            Map.entry("s3:ListMultipartUploads", Set.of("s3:ListBucketMultipartUploads")),
            // GetCallerIdentity needs no permission at all.
            Map.entry("sts:GetCallerIdentity", Set.of()));

    private IamActionMapping() {
    }

    static Set<String> actions(String sdkService, String operation, SdkRequest request) {
        String prefix = PREFIXES.getOrDefault(sdkService, sdkService.toLowerCase());
        String key = prefix + ":" + operation;
        Set<String> actions = new LinkedHashSet<>(EXCEPTIONS.getOrDefault(key, Set.of(key)));
        if (request instanceof AssumeRoleRequest assume) {
            // AssumeRole with a SourceIdentity or session tags is also authorised by these.
            if (assume.sourceIdentity() != null) {
                actions.add("sts:SetSourceIdentity");
            }
            if (assume.hasTags() && !assume.tags().isEmpty()) {
                actions.add("sts:TagSession");
            }
        }
        if (request instanceof TransactWriteItemsRequest transact) {
            // A transaction is authorised item by item.
            actions.clear();
            for (TransactWriteItem item : transact.transactItems()) {
                if (item.put() != null) {
                    actions.add("dynamodb:PutItem");
                }
                if (item.update() != null) {
                    actions.add("dynamodb:UpdateItem");
                }
                if (item.delete() != null) {
                    actions.add("dynamodb:DeleteItem");
                }
                if (item.conditionCheck() != null) {
                    actions.add("dynamodb:ConditionCheckItem");
                }
            }
        }
        return actions;
    }
}
