package com.mlplatform.logexport.api.fanout;

import com.mlplatform.logexport.api.ApiConfig;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.config.Env;
import com.mlplatform.logexport.shared.config.PlatformResources;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the fan-out sweep reads from its environment, read once at cold start.
 *
 * @param fanoutQueueUrl where the sweep sends a batch to the fan-out again
 */
public record SweepConfig(String exportsTable, String fanoutQueueUrl) {

    /** Every variable the sweep reads (the template sets each one; AWS_REGION comes from Lambda). */
    public static final List<String> ENV_VARS = List.of(PlatformResources.ENV_EXPORTS_TABLE,
            ApiConfig.ENV_FANOUT_QUEUE_URL, AwsSettings.ENV_REGION, AwsSettings.ENV_ENDPOINT);

    /** The sweep's IAM actions: the active-index Query, the batch record, the fan-out queue. */
    public static final List<String> IAM_ACTIONS = List.of("dynamodb:Query", "dynamodb:GetItem",
            "dynamodb:UpdateItem", "sqs:SendMessage");

    public SweepConfig {
        Objects.requireNonNull(exportsTable, PlatformResources.ENV_EXPORTS_TABLE);
        Objects.requireNonNull(fanoutQueueUrl, ApiConfig.ENV_FANOUT_QUEUE_URL);
    }

    public static SweepConfig fromEnv(Map<String, String> vars) {
        Env env = new Env(vars);
        return new SweepConfig(env.required(PlatformResources.ENV_EXPORTS_TABLE),
                env.required(ApiConfig.ENV_FANOUT_QUEUE_URL));
    }
}
