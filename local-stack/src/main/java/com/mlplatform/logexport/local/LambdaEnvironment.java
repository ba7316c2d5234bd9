package com.mlplatform.logexport.local;

import com.mlplatform.logexport.api.ApiConfig;
import com.mlplatform.logexport.emulator.EmulatedPlatform;
import com.mlplatform.logexport.emulator.Emulator;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.config.PlatformResources;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables the Lambdas get, locally: what {@code infra/template.yaml} sets in the cloud (resource
 * names from provisioning, never hard-coded), plus the emulator endpoint and local mode.
 */
final class LambdaEnvironment {

    private LambdaEnvironment() {
    }

    static Map<String, String> of(EmulatedPlatform platform, int gatewayPort) {
        Emulator emulator = platform.emulator();
        PlatformResources resources = platform.resources();
        Map<String, String> env = new LinkedHashMap<>();
        env.put(PlatformResources.ENV_EXPORTS_TABLE, resources.exportsTable());
        env.put(PlatformResources.ENV_USECASES_TABLE, resources.usecasesTable());
        env.put(PlatformResources.ENV_QUEUE_URL, resources.queueUrl());
        env.put(PlatformResources.ENV_BUCKET, resources.bucket());
        env.put(ApiConfig.ENV_FANOUT_QUEUE_URL, platform.provisioned().fanoutQueueUrl());
        env.put(AwsSettings.ENV_REGION, Emulator.REGION.id());
        env.put(AwsSettings.ENV_ENDPOINT, emulator.endpoint().toString());
        env.put(ApiConfig.ENV_LOCAL_MODE, "true");
        // The page is served by the gateway itself (same origin); the CORS list is for other local front ends.
        env.put(ApiConfig.ENV_CORS_ALLOWED_ORIGINS, "http://localhost:" + gatewayPort + ",http://127.0.0.1:"
                + gatewayPort);
        // The reconciler's local bounds, given to the API too: both must agree when an export counts as stuck.
        env.putAll(ReconcilerSchedule.LOCAL_BOUNDS);
        return env;
    }
}
