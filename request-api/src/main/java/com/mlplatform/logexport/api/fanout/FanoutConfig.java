package com.mlplatform.logexport.api.fanout;

import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.config.Env;
import com.mlplatform.logexport.shared.config.PlatformResources;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the fan-out reads from its environment, read once at cold start.
 *
 * @param exportQueueUrl where the fan-out sends each created export's message
 */
public record FanoutConfig(String exportsTable, String exportQueueUrl) {

    /** Every variable the fan-out reads (the template sets each one; AWS_REGION comes from Lambda). */
    public static final List<String> ENV_VARS = List.of(PlatformResources.ENV_EXPORTS_TABLE,
            PlatformResources.ENV_QUEUE_URL, AwsSettings.ENV_REGION, AwsSettings.ENV_ENDPOINT);

    /**
     * The fan-out's IAM actions: the batch record and plan (GetItem, UpdateItem, BatchGetItem), the jobs
     * (BatchGetItem, conditional PutItem), their messages (SendMessageBatch is authorised by sqs:SendMessage).
     * Reading its own queue is the event source mapping's, granted beside it in the template.
     */
    public static final List<String> IAM_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:UpdateItem",
            "dynamodb:BatchGetItem", "dynamodb:PutItem", "sqs:SendMessage");

    public FanoutConfig {
        Objects.requireNonNull(exportsTable, PlatformResources.ENV_EXPORTS_TABLE);
        Objects.requireNonNull(exportQueueUrl, PlatformResources.ENV_QUEUE_URL);
    }

    public static FanoutConfig fromEnv(Map<String, String> vars) {
        Env env = new Env(vars);
        return new FanoutConfig(env.required(PlatformResources.ENV_EXPORTS_TABLE),
                env.required(PlatformResources.ENV_QUEUE_URL));
    }
}
