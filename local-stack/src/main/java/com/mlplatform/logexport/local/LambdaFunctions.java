package com.mlplatform.logexport.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mlplatform.logexport.api.ApiConfig;
import com.mlplatform.logexport.api.RequestApiHandler;
import com.mlplatform.logexport.api.fanout.BatchFanoutHandler;
import com.mlplatform.logexport.api.fanout.FanoutConfig;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.worker.ExportWorkerHandler;
import com.mlplatform.logexport.worker.WorkerConfig;
import com.mlplatform.logexport.worker.WorkerSetup;
import java.time.Clock;
import java.util.Map;

/**
 * The Lambda handlers behind the gateway and the queues, built exactly as their no-arg constructors build them on Lambda, except that the
 * platform clients point at the emulator: configuration comes from the same environment variables.
 */
final class LambdaFunctions {

    private LambdaFunctions() {
    }

    static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> requestApi(AwsClients clients,
                                                                                       Map<String, String> env) {
        return new RequestApiHandler(clients, ApiConfig.fromEnv(env));
    }

    /** The worker with its own clock (the system clock on Lambda; tests may give it another). */
    static RequestHandler<SQSEvent, SQSBatchResponse> exportWorker(AwsClients clients, Map<String, String> env,
                                                                   Clock clock) {
        return new ExportWorkerHandler(WorkerSetup.of(clients, WorkerConfig.fromEnv(env)).withClock(clock));
    }

    static RequestHandler<SQSEvent, SQSBatchResponse> batchFanout(AwsClients clients, Map<String, String> env) {
        return new BatchFanoutHandler(clients, FanoutConfig.fromEnv(env));
    }

    static String userIdClaim(Map<String, String> env) {
        return ApiConfig.fromEnv(env).userIdClaim();
    }
}
