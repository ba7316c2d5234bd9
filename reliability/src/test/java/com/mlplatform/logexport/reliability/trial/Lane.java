package com.mlplatform.logexport.reliability.trial;

import com.mlplatform.logexport.api.exportstable.DynamoBatchRecords;
import com.mlplatform.logexport.api.fanout.BatchItemIds;
import com.mlplatform.logexport.api.fanout.BatchPlan;
import com.mlplatform.logexport.api.fanout.FanoutState;
import com.mlplatform.logexport.emulator.CloudFormationTemplate;
import com.mlplatform.logexport.emulator.TemplateProvisioner;
import com.mlplatform.logexport.reliability.child.ApiCall;
import com.mlplatform.logexport.reliability.child.ApiProcess;
import com.mlplatform.logexport.reliability.child.ChildEnv;
import com.mlplatform.logexport.reliability.child.ChildLine;
import com.mlplatform.logexport.reliability.child.CrashPoint;
import com.mlplatform.logexport.reliability.child.WorkerProcess;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.config.PlatformResources;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.shared.usecase.UseCaseRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * One platform stack of its own in the shared emulator ({@code <stack>-ExportsTable}, its queue, bucket, …,
 * provisioned from {@code infra/template.yaml}), so trials running side by side never share a table, a queue or a
 * lease. Its handlers run in child JVMs configured by {@link #handlerEnv()}.
 */
public final class Lane implements AutoCloseable {

    /**
     * The worker's invocations in the trials: short, so hops, lease expiry and redelivery take seconds.
     *
     * @param functionTimeout     what {@code getRemainingTimeInMillis()} starts from at each invocation
     * @param safetyMarginSeconds {@code WORKER_SAFETY_MARGIN_SECONDS}: stop merging this long before the timeout
     */
    public record Tuning(Duration functionTimeout, int safetyMarginSeconds) {
    }

    /** SQS's visibility timeout in the trials: a message of a killed invocation is back after this long. */
    public static final Duration VISIBILITY = Duration.ofSeconds(4);
    /** The event source mapping's batch size, as the template deploys it. */
    /** Time for a child JVM to start, apart from the time a call may take once it runs. */
    static final Duration CHILD_START = Duration.ofSeconds(180);
    static final String BATCH_SIZE = String.valueOf(CloudFormationTemplate.platform()
            .parameterDefault("WorkerBatchSize"));

    private final String name;
    private final Moto moto;
    private final PlatformResources resources;
    private final String fanoutQueueUrl;
    private final Path logDir;
    private final URI handlerEndpoint;
    private final Tuning tuning;
    private final AtomicInteger children = new AtomicInteger();
    private ChildJvm api;

    private Lane(String name, Moto moto, PlatformResources resources, String fanoutQueueUrl, Path logDir,
                 URI handlerEndpoint, Tuning tuning) {
        this.name = name;
        this.moto = moto;
        this.resources = resources;
        this.fanoutQueueUrl = fanoutQueueUrl;
        this.logDir = logDir;
        this.handlerEndpoint = handlerEndpoint;
        this.tuning = tuning;
    }

    /** Provisions the stack {@code name} and registers {@code useCase} in its registry. */
    public static Lane provision(Moto moto, String name, UseCase useCase, Path logDir, Tuning tuning) {
        TemplateProvisioner.Provisioned provisioned;
        try (var clients = new AwsClients(moto.emulator().platformSettings())) {
            provisioned = new TemplateProvisioner(CloudFormationTemplate.platform(), clients).provision(name);
        }
        PlatformResources resources = provisioned.platformResources();
        new UseCaseRegistry(moto.dynamo(), resources.usecasesTable()).put(useCase);
        for (String queueUrl : List.of(resources.queueUrl(), provisioned.fanoutQueueUrl())) {
            moto.sqs().setQueueAttributes(r -> r.queueUrl(queueUrl).attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(VISIBILITY.toSeconds()))));
        }
        return new Lane(name, moto, resources, provisioned.fanoutQueueUrl(), logDir, moto.emulator().endpoint(),
                tuning);
    }

    /** The same stack, with its handlers talking to AWS through {@code endpoint} (a fault proxy). */
    public Lane through(URI endpoint) {
        return new Lane(name, moto, resources, fanoutQueueUrl, logDir, endpoint, tuning);
    }

    public String name() {
        return name;
    }

    public PlatformResources resources() {
        return resources;
    }

    public Path logDir() {
        return logDir;
    }

    public Moto moto() {
        return moto;
    }

    /** Everything a handler of this lane reads from its environment, as the template and Lambda would set it. */
    public Map<String, String> handlerEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ENDPOINT_URL", handlerEndpoint.toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put(PlatformResources.ENV_EXPORTS_TABLE, resources.exportsTable());
        env.put(PlatformResources.ENV_USECASES_TABLE, resources.usecasesTable());
        env.put(PlatformResources.ENV_QUEUE_URL, resources.queueUrl());
        env.put(PlatformResources.ENV_BUCKET, resources.bucket());
        env.put("FANOUT_QUEUE_URL", fanoutQueueUrl);
        env.put("CORS_ALLOWED_ORIGINS", "https://ml.example.com");
        env.put("WORKER_SAFETY_MARGIN_SECONDS", Integer.toString(tuning.safetyMarginSeconds()));
        env.put("WORKER_PROGRESS_INTERVAL_SECONDS", "1");
        env.put("WORKER_PART_SIZE_MIB", "5");
        env.put(ChildEnv.POLL_ENDPOINT, moto.emulator().endpoint().toString());
        env.put(ChildEnv.FUNCTION_TIMEOUT_MILLIS, Long.toString(tuning.functionTimeout().toMillis()));
        env.put(ChildEnv.BATCH_SIZE, BATCH_SIZE);
        return env;
    }

    /** A fresh worker execution environment, stopped at the first of {@code crashAt} it reaches. */
    public ChildJvm startWorker(List<CrashPoint> crashAt) {
        return startWorker(crashAt, tuning);
    }

    /** The same, with invocations of their own (longer ones for a larger export, none to merge in for hops). */
    public ChildJvm startWorker(List<CrashPoint> crashAt, Tuning invocations) {
        Map<String, String> env = new HashMap<>(handlerEnv());
        env.put("WORKER_SAFETY_MARGIN_SECONDS", Integer.toString(invocations.safetyMarginSeconds()));
        env.put(ChildEnv.FUNCTION_TIMEOUT_MILLIS, Long.toString(invocations.functionTimeout().toMillis()));
        env.put(CrashPoint.ENV, CrashPoint.formatList(crashAt));
        return ChildJvm.start(name + "-worker-" + children.incrementAndGet(), WorkerProcess.class, env, logDir);
    }

    /** What became of one API request. */
    public sealed interface ApiOutcome permits Answered, Crashed {
    }

    public record Answered(ApiCall.Answer answer) implements ApiOutcome {
    }

    /** The API child reached its crash point and was killed there: the client never got an answer. */
    public record Crashed(String point) implements ApiOutcome {
    }

    /** Sends one request to this lane's API, through a child armed with {@code crashAt} if it is not empty. */
    public ApiOutcome call(ApiCall call, List<CrashPoint> crashAt) {
        if (crashAt.isEmpty()) {
            return new Answered(answer(api(), call));
        }
        Map<String, String> env = new HashMap<>(handlerEnv());
        env.put(CrashPoint.ENV, CrashPoint.formatList(crashAt));
        try (ChildJvm armed = ChildJvm.start(name + "-api-" + children.incrementAndGet(), ApiProcess.class, env,
                logDir)) {
            armed.ready(CHILD_START);
            armed.send(call.toJson());
            while (true) {
                ChildLine line = armed.next(Duration.ofSeconds(90)).orElseThrow(() -> new IllegalStateException(
                        "API child " + armed.name() + " neither answered nor crashed in 90 s:\n" + armed.tail()));
                if (line.kind().equals(ChildLine.CRASH)) {
                    armed.kill();
                    return new Crashed(line.text());
                }
                if (line.kind().equals(ChildLine.RESPONSE)) {
                    return new Answered(ApiCall.Answer.fromJson(line.text()));
                }
            }
        }
    }

    private synchronized ChildJvm api() {
        if (api == null || !api.isAlive()) {
            api = ChildJvm.start(name + "-api", ApiProcess.class, handlerEnv(), logDir).ready(CHILD_START);
        }
        return api;
    }

    private static ApiCall.Answer answer(ChildJvm child, ApiCall call) {
        child.send(call.toJson());
        return child.await(ChildLine.RESPONSE, Duration.ofSeconds(90)).map(l -> ApiCall.Answer.fromJson(l.text()))
                .orElseThrow(() -> new IllegalStateException("API child " + child.name() + " did not answer "
                        + call.method() + " " + call.path() + " in 90 s:\n" + child.tail()));
    }

    public Optional<Map<String, AttributeValue>> item(String exportId) {
        var item = moto.dynamo().getItem(r -> r.tableName(resources.exportsTable())
                .key(ExportJobItem.key(exportId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * Every export id planned by the batches of this lane whose window starts at {@code startTime}: a batch is
     * accepted once the API wrote its record and plan, before the fan-out creates the jobs, so a batch whose request
     * was killed (or answered 5xx after writing them) has exports as real as those of the client's retry, which
     * starts a batch of its own. Ids of a batch whose fan-out was given up read FAILED without a job: only those
     * with a job are listed for it.
     */
    public List<String> plannedExports(long startTime) {
        var batches = new DynamoBatchRecords(moto.dynamo(), resources.exportsTable());
        List<String> ids = new ArrayList<>();
        var pages = moto.dynamo().scanPaginator(r -> r.tableName(resources.exportsTable()).consistentRead(true)
                .filterExpression("begins_with(#id, :plan)")
                .expressionAttributeNames(Map.of("#id", ExportJobItem.EXPORT_ID))
                .expressionAttributeValues(Map.of(":plan", AttributeValue.fromS("batchplan#"))));
        for (var item : pages.items()) {
            String[] key = item.get(ExportJobItem.EXPORT_ID).s().split("#"); // batchplan#<prefix>#<chunk>
            int first = Integer.parseInt(key[2]) * BatchPlan.CHUNK_SIZE;
            batches.chunk(new BatchItemIds.Ref(key[1], first))
                    .filter(c -> Objects.equals(c.options().startTime(), startTime))
                    .ifPresent(c -> {
                        boolean givenUp = batches.progress(c.batchId())
                                .map(p -> p.state() == FanoutState.FAILED).orElse(false);
                        for (int i = 0; i < c.trainingIds().size(); i++) {
                            String id = BatchItemIds.exportId(c.batchId(), first + i);
                            if (!givenUp || job(id).isPresent()) {
                                ids.add(id);
                            }
                        }
                    });
        }
        return ids;
    }

    public Optional<ExportJob> job(String exportId) {
        return item(exportId).map(ExportJobItem::fromItem);
    }

    /** Every export record in the table (the API's guard and idempotency items have no status). */
    public List<ExportJob> jobs() {
        List<ExportJob> jobs = new ArrayList<>();
        moto.dynamo().scanPaginator(r -> r.tableName(resources.exportsTable()).consistentRead(true)).items()
                .forEach(item -> {
                    if (item.containsKey(ExportJobItem.STATUS) && item.containsKey(ExportJobItem.TRAINING_ID)) {
                        jobs.add(ExportJobItem.fromItem(item));
                    }
                });
        return jobs;
    }

    public byte[] object(String key) {
        return moto.s3().getObjectAsBytes(r -> r.bucket(resources.bucket()).key(key)).asByteArray();
    }

    public void deleteObject(String key) {
        moto.s3().deleteObject(r -> r.bucket(resources.bucket()).key(key));
    }

    /** What an export left in the bucket: incomplete multipart uploads and working objects naming it. */
    public Leftovers leftovers(String exportId) {
        return Leftovers.in(moto.s3(), resources.bucket(), exportId);
    }

    /** Messages on the queue and its dead-letter queue, for failure messages. */
    public String queueState() {
        var attributes = moto.sqs().getQueueAttributes(r -> r.queueUrl(resources.queueUrl()).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return "queue: " + attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) + " visible, "
                + attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) + " in flight";
    }

    @Override
    public synchronized void close() {
        if (api != null) {
            api.close();
        }
    }
}
