package com.mlplatform.logexport.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.mlplatform.logexport.emulator.Accounts;
import com.mlplatform.logexport.emulator.EmulatedPlatform;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.shared.usecase.UseCaseRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The platform provisioned in the emulator from the SAM template, one use-case account with the read role, and the
 * real handler: what the worker's integration tests share. Jobs are created the way the request API creates them
 * (a QUEUED record), and messages reach the handler the way the SQS event source delivers them.
 *
 * <p>A JUnit 5 extension: {@code @RegisterExtension static final WorkerFixture fx = new WorkerFixture();} starts it
 * before the class's own {@code @BeforeAll} methods and closes it after the class. (jqwik properties, which JUnit
 * extensions do not reach, call {@link #start()} and {@link #close()} from their container hooks.)
 */
public final class WorkerFixture implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    public static final String LOG_GROUP = UseCase.DEFAULT_LOG_GROUP;
    static final String EXTERNAL_ID = "ext-worker-it";
    static final String USECASE = "uc-vision";
    public static final String USECASE_ID = USECASE;
    static final String USER = "alice@example.com";

    public EmulatedPlatform platform;
    AwsClients clients;
    ExportJobRepository jobs;
    UseCaseRegistry registry;
    S3Client s3;
    SqsClient sqs;
    String roleArn;

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public void start() {
        platform = EmulatedPlatform.fresh();
        clients = platform.platformClients();
        var dynamo = clients.dynamo();
        jobs = new ExportJobRepository(dynamo, platform.resources().exportsTable());
        registry = new UseCaseRegistry(dynamo, platform.resources().usecasesTable());
        s3 = clients.s3();
        sqs = clients.sqs();
        try (var seeder = seeder()) {
            roleArn = seeder.createReadRole(EXTERNAL_ID);
        }
        registry.put(new UseCase(USECASE, Accounts.USECASE_A, roleArn, EXTERNAL_ID, "us-east-1", LOG_GROUP,
                Set.of(USER)));
    }

    public UseCaseAccountSeeder seeder() {
        return platform.seeder(Accounts.USECASE_A);
    }

    /** Registers use case {@code usecaseId} in account {@code accountId} (its read role created there). */
    public void registerUseCase(String usecaseId, String accountId) {
        try (var seeder = platform.seeder(accountId)) {
            registry.put(new UseCase(usecaseId, accountId, seeder.createReadRole(EXTERNAL_ID), EXTERNAL_ID,
                    "us-east-1", LOG_GROUP, Set.of(USER)));
        }
    }

    /** A queued export of {@code trainingId} in use case {@code usecaseId} (see {@link #registerUseCase}). */
    public ExportJob createJob(String usecaseId, String trainingId) {
        ExportJob job = ExportJob.queued(ExportIds.newExportId(), usecaseId, trainingId, USER, ExportOptions.DEFAULT,
                null, Instant.now());
        if (!jobs.create(job)) {
            throw new IllegalStateException("duplicate export id");
        }
        return job;
    }

    public WorkerConfig config() {
        return WorkerConfig.defaults(platform.resources()).withPartSize(5 * 1024 * 1024);
    }

    /** The handler as Lambda builds it, but on the emulator's platform clients and with 5 MiB parts. */
    WorkerSetup setup() {
        return WorkerSetup.of(clients, config());
    }

    ExportWorkerHandler handler() {
        return new ExportWorkerHandler(setup());
    }

    /** A handler whose structured log lines are also collected in {@code sink}. */
    ExportWorkerHandler handler(WorkerConfig config, LogSink sink) {
        return new ExportWorkerHandler(WorkerSetup.of(clients, config).withLog(sink.log()));
    }

    /** Collects structured log lines (thread-safe) and echoes them to stdout. */
    static final class LogSink {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private final java.io.PrintStream stream = new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public synchronized void write(int b) {
                bytes.write(b);
                System.out.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                bytes.write(b, off, len);
                System.out.write(b, off, len);
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8);

        /** A structured log whose lines land here. */
        StructuredLog log() {
            return new StructuredLog("export-worker", stream);
        }

        synchronized List<String> lines() {
            return bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }

        long count(String event) {
            return lines().stream().filter(l -> l.contains("\"event\":\"" + event + "\"")).count();
        }
    }

    public ExportJob createJob(String trainingId, ExportOptions options) {
        return createJob(trainingId, options, USER);
    }

    ExportJob createJob(String trainingId, ExportOptions options, String user) {
        ExportJob job = ExportJob.queued(ExportIds.newExportId(), USECASE, trainingId, user, options, null,
                Instant.now());
        if (!jobs.create(job)) {
            throw new IllegalStateException("duplicate export id");
        }
        return job;
    }

    public ExportJob job(String exportId) {
        return jobs.find(exportId).orElseThrow();
    }

    static SQSEvent event(String... bodies) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (String body : bodies) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId(UUID.randomUUID().toString());
            m.setBody(body);
            m.setEventSource("aws:sqs");
            records.add(m);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    public static SQSEvent start(ExportJob job) {
        return event(ExportMessage.start(job.exportId()).toJson());
    }

    /** Messages currently on the export queue (received and deleted, as the event source would). */
    List<String> drainQueue() {
        List<String> bodies = new ArrayList<>();
        while (true) {
            List<Message> got = sqs.receiveMessage(r -> r.queueUrl(platform.resources().queueUrl())
                    .maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (got.isEmpty()) {
                return bodies;
            }
            for (Message m : got) {
                bodies.add(m.body());
                sqs.deleteMessage(r -> r.queueUrl(platform.resources().queueUrl()).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /**
     * Delivers {@code first}, then every continuation the worker enqueues, each in a fresh invocation with
     * {@code budgetMillis} of remaining time, until the queue is empty. Returns the number of invocations.
     */
    public int runToCompletion(ExportWorkerHandler handler, SQSEvent first, long budgetMillis) {
        int invocations = 0;
        if (first.getRecords() != null && !first.getRecords().isEmpty()) {
            SQSBatchResponse response = handler.handleRequest(first, CountdownContext.ofMillis("export-worker", budgetMillis));
            if (!response.getBatchItemFailures().isEmpty()) {
                throw new AssertionError("first delivery failed: " + response.getBatchItemFailures().size());
            }
            invocations++;
        }
        while (true) {
            List<String> next = drainQueue();
            if (next.isEmpty()) {
                return invocations;
            }
            for (String body : next) {
                handler.handleRequest(event(body), CountdownContext.ofMillis("export-worker", budgetMillis));
                invocations++;
                if (invocations > 10_000) {
                    throw new AssertionError("export does not converge");
                }
            }
        }
    }

    /** Each body delivered to its own handler (logging into {@code log}), all released at the same moment. */
    List<SQSBatchResponse> concurrently(LogSink log, WorkerConfig config, String... bodies) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(bodies.length);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<SQSBatchResponse>> futures = new ArrayList<>();
            for (String body : bodies) {
                ExportWorkerHandler handler = handler(config, log);
                SQSEvent event = event(body);
                futures.add(pool.submit(() -> {
                    go.await();
                    return handler.handleRequest(event, CountdownContext.ofMillis("export-worker", 15 * 60 * 1000));
                }));
            }
            go.countDown();
            List<SQSBatchResponse> out = new ArrayList<>();
            for (java.util.concurrent.Future<SQSBatchResponse> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    public byte[] object(String key) {
        return s3.getObjectAsBytes(r -> r.bucket(platform.resources().bucket()).key(key)).asByteArray();
    }

    List<String> keys() {
        return s3.listObjectsV2(r -> r.bucket(platform.resources().bucket())).contents().stream()
                .map(o -> o.key()).toList();
    }

    /** Multipart uploads still open for this export (not completed, not aborted). */
    int openUploads(ExportJob job) {
        return s3.listMultipartUploads(r -> r.bucket(platform.resources().bucket())
                .prefix("exports/" + job.usecaseId() + "/" + job.exportId() + "/")).uploads().size();
    }

    @Override
    public void close() {
        s3.close();
        sqs.close();
        clients.close();
    }
}
