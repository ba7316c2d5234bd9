package com.mlplatform.logexport.local;

import com.mlplatform.logexport.emulator.CloudFormationTemplate;
import com.mlplatform.logexport.emulator.EmulatedPlatform;
import com.mlplatform.logexport.emulator.Emulator;
import com.mlplatform.logexport.emulator.TemplateProvisioner;
import com.mlplatform.logexport.local.gateway.DevIdentity;
import com.mlplatform.logexport.local.gateway.HttpApiEvents;
import com.mlplatform.logexport.local.gateway.LocalGateway;
import com.mlplatform.logexport.local.gateway.RouteTable;
import com.mlplatform.logexport.local.lambda.SqsEventSource;
import com.mlplatform.logexport.local.seed.Scenario;
import com.mlplatform.logexport.local.seed.SeedFile;
import com.mlplatform.logexport.local.seed.SeedLoader;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.events.EventBridgeCompletionEvents;
import com.mlplatform.logexport.shared.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The whole product on one machine: the emulator with the platform provisioned from {@code infra/template.yaml},
 * a seeded scenario in the use-case accounts, the request-API handler behind a local HTTP API gateway, and the
 * export-worker and batch fan-out handlers behind local SQS event sources (the reconciler and the fan-out sweep on
 * local schedules). The same handler classes as on Lambda, built with their
 * (clients, config) constructors from the environment the template would give them.
 *
 * <p>Every start is clean: the emulator keeps its state in memory and each start provisions it afresh.
 */
public final class LocalPipeline implements AutoCloseable {

    /**
     * @param seed              a seed file; empty for the demo scenario
     * @param port              the gateway's port on loopback; 0 picks a free one
     * @param workerTimeout     the worker's Lambda timeout locally (the cloud's is 900 s)
     * @param visibilityTimeout the export queue's visibility timeout locally: how soon a failed message is
     *                          redelivered (the cloud's is 6 x the worker timeout)
     * @param workerConcurrency worker execution environments polling the queue
     * @param lambdaEnvironment extra environment variables for both handlers (e.g. the worker's tuning knobs)
     * @param workerClock       the clock of each worker execution environment (called once per environment): the
     *                          system clock, or for tests one that makes the worker's time budget a matter of work
     *                          done rather than of how fast the machine is
     * @see <a href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html">SQS visibility timeout (at most 12 hours)</a>
     * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html">Lambda with SQS: visibility timeout of 6 x the function timeout</a>
     */
    public record Options(Optional<Path> seed, int port, Duration workerTimeout, Duration visibilityTimeout,
                          int workerConcurrency, Map<String, String> lambdaEnvironment,
                          Supplier<Clock> workerClock) {

        public static final int DEFAULT_PORT = 8080;
        public static final Duration DEFAULT_WORKER_TIMEOUT = Duration.ofSeconds(60);
        public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(90);

        public Options {
            if (visibilityTimeout.compareTo(workerTimeout) < 0) {
                // SQS would hand the message to a second worker while the first still runs it.
                throw new IllegalArgumentException("the visibility timeout (" + visibilityTimeout.toSeconds()
                        + " s) must be at least the worker timeout (" + workerTimeout.toSeconds() + " s)");
            }
            if (visibilityTimeout.toSeconds() > 43_200) {
                throw new IllegalArgumentException("SQS allows a visibility timeout of at most 12 hours");
            }
            lambdaEnvironment = Map.copyOf(lambdaEnvironment);
            java.util.Objects.requireNonNull(workerClock, "workerClock");
        }

        public Options(Optional<Path> seed, int port, Duration workerTimeout, Duration visibilityTimeout,
                       int workerConcurrency, Map<String, String> lambdaEnvironment) {
            this(seed, port, workerTimeout, visibilityTimeout, workerConcurrency, lambdaEnvironment,
                    Clock::systemUTC);
        }

        public static Options defaults() {
            return new Options(Optional.empty(), DEFAULT_PORT, DEFAULT_WORKER_TIMEOUT, DEFAULT_VISIBILITY_TIMEOUT, 2,
                    Map.of());
        }

        public Options withSeed(Path file) {
            return new Options(Optional.of(file), port, workerTimeout, visibilityTimeout, workerConcurrency,
                    lambdaEnvironment, workerClock);
        }

        public Options withPort(int p) {
            return new Options(seed, p, workerTimeout, visibilityTimeout, workerConcurrency, lambdaEnvironment,
                    workerClock);
        }

        public Options withTimeouts(Duration worker, Duration visibility) {
            return new Options(seed, port, worker, visibility, workerConcurrency, lambdaEnvironment, workerClock);
        }

        public Options withLambdaEnvironment(Map<String, String> env) {
            return new Options(seed, port, workerTimeout, visibilityTimeout, workerConcurrency, env, workerClock);
        }

        public Options withWorkerClock(Supplier<Clock> clock) {
            return new Options(seed, port, workerTimeout, visibilityTimeout, workerConcurrency, lambdaEnvironment,
                    clock);
        }
    }

    private final EmulatedPlatform platform;
    private final AwsClients clients;
    private final Scenario scenario;
    private final LocalGateway gateway;
    private final SqsEventSource worker;
    private final SqsEventSource fanout;
    private final DeadLetterWatch deadLetters;
    private final ReconcilerSchedule reconciler;
    private final ReconcilerSchedule sweep;
    private final CompletionEventWatch completionEvents;

    private LocalPipeline(EmulatedPlatform platform, AwsClients clients, Scenario scenario, LocalGateway gateway,
                          SqsEventSource worker, SqsEventSource fanout, DeadLetterWatch deadLetters,
                          ReconcilerSchedule reconciler, ReconcilerSchedule sweep,
                          CompletionEventWatch completionEvents) {
        this.platform = platform;
        this.clients = clients;
        this.scenario = scenario;
        this.gateway = gateway;
        this.worker = worker;
        this.fanout = fanout;
        this.deadLetters = deadLetters;
        this.reconciler = reconciler;
        this.sweep = sweep;
        this.completionEvents = completionEvents;
    }

    public static LocalPipeline start(Options options, PrintStream console) {
        return start(options, console, UnaryOperator.identity());
    }

    /**
     * As {@link #start(Options, PrintStream)}, with the handlers, pollers and seeding reaching the emulator through
     * {@code awsEndpoint.apply(emulator endpoint)} instead (their clients and the Lambdas' {@code AWS_ENDPOINT_URL},
     * so presigned URLs point there too): the benchmarks put a model of AWS's latency and quotas in between.
     */
    public static LocalPipeline start(Options options, PrintStream console, UnaryOperator<URI> awsEndpoint) {
        // Read the seed before anything starts, so a typo costs a second, not an emulator start.
        SeedFile seed = options.seed().map(SeedFile::read).orElseGet(SeedFile::demo);
        int port = options.port() == 0 ? freePort() : requireFree(options.port());
        EmulatedPlatform platform = EmulatedPlatform.fresh();
        URI endpoint = awsEndpoint.apply(platform.emulator().endpoint());
        AwsSettings direct = platform.emulator().platformSettings();
        // One set of platform-account clients for everything here (seeding, both handlers, the pollers), closed
        // by close(). Use-case accounts are only seeded, by seeders that close their own clients.
        AwsClients clients = new AwsClients(new AwsSettings(direct.region(), Optional.of(endpoint),
                direct.credentials(), direct.emulatedAccountId()));
        try {
            return assemble(options, console, seed, port, platform, clients);
        } catch (RuntimeException e) {
            clients.close();
            throw e;
        }
    }

    private static LocalPipeline assemble(Options options, PrintStream console, SeedFile seed, int port,
                                          EmulatedPlatform platform, AwsClients clients) {
        Clock clock = Clock.systemUTC();
        Emulator emulator = platform.emulator();
        var provisioned = platform.provisioned();
        String queueUrl = platform.resources().queueUrl();
        for (String url : new String[] {queueUrl, provisioned.fanoutQueueUrl()}) {
            clients.sqs().setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT,
                    Long.toString(options.visibilityTimeout().toSeconds()))));
        }
        Scenario scenario = new SeedLoader(emulator, clients, platform.resources()).load(seed, clock.instant());

        Map<String, String> env = new java.util.LinkedHashMap<>(LambdaEnvironment.of(platform, port));
        clients.settings().endpointOverride().ifPresent(e -> env.put(AwsSettings.ENV_ENDPOINT, e.toString()));
        env.putAll(options.lambdaEnvironment());
        var api = LambdaFunctions.requestApi(clients, env);

        CloudFormationTemplate template = CloudFormationTemplate.platform();
        int batchSize = intParameter(template, "WorkerBatchSize", 1);
        var worker = new SqsEventSource(clients.sqs(), new SqsEventSource.Settings("export-worker", queueUrl,
                provisioned.queueArns().get(TemplateProvisioner.EXPORT_QUEUE), Emulator.REGION.id(), batchSize,
                Duration.ofSeconds(5), options.workerTimeout(), options.workerConcurrency()),
                () -> LambdaFunctions.exportWorker(clients, env, options.workerClock().get()),
                console, clock);
        // The batch fan-out's event source: one batch per invocation, as the template's BatchSize says.
        var fanout = new SqsEventSource(clients.sqs(), new SqsEventSource.Settings("batch-fanout",
                provisioned.fanoutQueueUrl(), provisioned.queueArns().get(TemplateProvisioner.BATCH_FANOUT_QUEUE),
                Emulator.REGION.id(), 1, Duration.ofSeconds(5), options.workerTimeout(), 1),
                () -> LambdaFunctions.batchFanout(clients, env), console, clock);

        LocalGateway gateway;
        try {
            String scenarioJson = Json.write(scenario);
            gateway = new LocalGateway(port, RouteTable.fromClasspath(),
                    new DevIdentity(LambdaFunctions.userIdClaim(env)),
                    new HttpApiEvents(SeedLoader.PLATFORM_ACCOUNT, "local"), api, () -> scenarioJson, console,
                    clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on localhost:" + port
                    + " (is another ./dev up running? pick another port with --port)", e);
        }
        var deadLetters = new DeadLetterWatch(clients.sqs(), provisioned.dlqUrl(), console);
        // Every finished export's completion event, through a rule on the bus, as a consumer would get it.
        var completionEvents = CompletionEventWatch.create(clients, EventBridgeCompletionEvents.busFromEnv(env),
                console);
        completionEvents.start();
        worker.start();
        fanout.start();
        gateway.start();
        deadLetters.start();
        // The scheduled reconciler, as EventBridge runs it in AWS: no export stays QUEUED or RUNNING for ever.
        var reconciler = ReconcilerSchedule.start(clients, env, ReconcilerSchedule.LOCAL_PERIOD, console);
        var sweep = ReconcilerSchedule.startFanoutSweep(clients, env, ReconcilerSchedule.LOCAL_PERIOD, console);
        return new LocalPipeline(platform, clients, scenario, gateway, worker, fanout, deadLetters, reconciler,
                sweep, completionEvents);
    }

    /** Fails before the emulator starts if the port is taken (the gateway binds it again moments later). */
    private static int requireFree(int port) {
        try (var socket = new java.net.ServerSocket(port, 0, java.net.InetAddress.getLoopbackAddress())) {
            return port;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on localhost:" + port
                    + " (is another ./dev up running? pick another port with --port)", e);
        }
    }

    private static int freePort() {
        try (var socket = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int intParameter(CloudFormationTemplate template, String name, int fallback) {
        Object v = template.parameterDefault(name);
        return v == null ? fallback : Integer.parseInt(String.valueOf(v));
    }

    public URI baseUri() {
        return gateway.baseUri();
    }

    public Scenario scenario() {
        return scenario;
    }

    public EmulatedPlatform platform() {
        return platform;
    }

    /** The platform account's clients the pipeline runs on; they belong to the pipeline, which closes them. */
    public AwsClients clients() {
        return clients;
    }

    public SqsEventSource.Stats workerStats() {
        return worker.stats();
    }

    /** Stops taking requests, lets running invocations finish (a few seconds at most), then lets go of clients. */
    @Override
    public void close() {
        // Pollers first: on Ctrl-C the emulator gets the signal too and is already going away.
        worker.stopPolling();
        fanout.stopPolling();
        gateway.close();
        deadLetters.close();
        reconciler.close();
        sweep.close();
        completionEvents.close();
        fanout.stop(Duration.ofSeconds(10));
        worker.stop(Duration.ofSeconds(10));
        clients.close();
    }
}
