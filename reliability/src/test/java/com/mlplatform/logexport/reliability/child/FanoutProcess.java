package com.mlplatform.logexport.reliability.child;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.mlplatform.logexport.api.fanout.BatchFanoutHandler;
import com.mlplatform.logexport.api.fanout.FanoutSweep;
import com.mlplatform.logexport.api.fanout.FanoutSweepHandler;
import com.mlplatform.logexport.api.fanout.SweepConfig;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import com.mlplatform.logexport.local.lambda.SqsEventSource;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A child JVM playing the batch fan-out Lambda (Lambda's SQS event source on the fan-out queue, batch size 1, in
 * front of {@code new BatchFanoutHandler()}) and its scheduled sweep, run every {@code TRIALS_RECONCILE_EVERY_MILLIS}.
 * The sweep's clock runs {@link FanoutSweep#GRACE} ahead, so a batch whose fan-out message a killed API never sent
 * is re-driven within seconds instead of the deployment's ten minutes (a batch whose message is merely in flight
 * may get a second one: the fan-out is idempotent, which is what the trials check). Runs until killed.
 */
public final class FanoutProcess {

    private FanoutProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        SweepConfig sweepConfig = SweepConfig.fromEnv(env);
        String queueUrl = sweepConfig.fanoutQueueUrl();
        String queueName = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
        var settings = new SqsEventSource.Settings("batch-fanout", queueUrl,
                "arn:aws:sqs:us-east-1:123456789012:" + queueName, env.getOrDefault("AWS_REGION", "us-east-1"),
                1, Duration.ofSeconds(1), Duration.ofSeconds(60), 1);
        var source = new SqsEventSource(ChildEnv.pollingClient(env), settings, BatchFanoutHandler::new,
                System.out, Clock.systemUTC());
        source.start();
        var sweep = new FanoutSweepHandler(new AwsClients(AwsSettings.fromEnv(env)), sweepConfig,
                Clock.offset(Clock.systemUTC(), FanoutSweep.GRACE.plusMinutes(1)));
        long every = ChildEnv.millis(ChildEnv.RECONCILE_EVERY_MILLIS).toMillis();
        ChildLine.print(ChildLine.READY, "batch-fanout");
        while (true) {
            try {
                sweep.handleRequest(new ScheduledEvent(), CountdownContext.ofMillis("fanout-sweep", 60_000));
            } catch (RuntimeException e) {
                // A sweep run failing (the fault proxy) is retried on the next tick, as the schedule would.
                System.out.println("fanout sweep run failed: " + e);
            }
            Thread.sleep(every);
        }
    }
}
