package com.mlplatform.logexport.reliability.child;

import com.mlplatform.logexport.local.lambda.SqsEventSource;
import com.mlplatform.logexport.shared.config.PlatformResources;
import com.mlplatform.logexport.worker.ExportWorkerHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A child JVM playing one export-worker execution environment: Lambda's SQS event source (the local stack's
 * {@link SqsEventSource}: batches of the template's {@code WorkerBatchSize}, the handler's {@code batchItemFailures}
 * kept for redelivery, the rest deleted) in front of {@code new ExportWorkerHandler()}, configured only by its environment. Each invocation
 * gets the remaining time {@code TRIALS_FUNCTION_TIMEOUT_MILLIS}, kept short so that hops, leases and redeliveries
 * happen within seconds. Runs until killed.
 */
public final class WorkerProcess {

    private WorkerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        String queueUrl = ChildEnv.required(PlatformResources.ENV_QUEUE_URL);
        String queueName = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
        var settings = new SqsEventSource.Settings("export-worker", queueUrl,
                "arn:aws:sqs:us-east-1:123456789012:" + queueName, env.getOrDefault("AWS_REGION", "us-east-1"),
                Integer.parseInt(ChildEnv.required(ChildEnv.BATCH_SIZE)),
                Duration.ofSeconds(1), ChildEnv.millis(ChildEnv.FUNCTION_TIMEOUT_MILLIS), 1);
        var source = new SqsEventSource(ChildEnv.pollingClient(env), settings, ExportWorkerHandler::new,
                System.out, Clock.systemUTC());
        source.start();
        ChildLine.print(ChildLine.READY, "export-worker");
        Thread.currentThread().join();
    }
}
