package com.mlplatform.logexport.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.mlplatform.logexport.api.access.AccessControl;
import com.mlplatform.logexport.api.accept.AcceptRoutes;
import com.mlplatform.logexport.api.accept.BatchAcceptor;
import com.mlplatform.logexport.api.accept.ExportAcceptor;
import com.mlplatform.logexport.api.accept.InflightGuards;
import com.mlplatform.logexport.api.accept.JobBatchWriter;
import com.mlplatform.logexport.api.accept.Liveness;
import com.mlplatform.logexport.api.accept.MessageBatchSender;
import com.mlplatform.logexport.api.accept.QueueSends;
import com.mlplatform.logexport.api.accept.SqsQueueSends;
import com.mlplatform.logexport.api.download.DownloadLinks;
import com.mlplatform.logexport.api.download.DownloadRoute;
import com.mlplatform.logexport.api.archive.ArchiveRoutes;
import com.mlplatform.logexport.api.exportstable.DynamoArchiveRecords;
import com.mlplatform.logexport.api.exportstable.DynamoBatchRecords;
import com.mlplatform.logexport.api.status.IndexedBatchMembership;
import com.mlplatform.logexport.api.exportstable.DynamoExportIndexes;
import com.mlplatform.logexport.api.exportstable.DynamoGuardTable;
import com.mlplatform.logexport.api.exportstable.DynamoIdempotencyRecords;
import com.mlplatform.logexport.api.exportstable.DynamoJobTableWrites;
import com.mlplatform.logexport.api.fanout.SqsFanoutQueue;
import com.mlplatform.logexport.api.http.ApiRequest;
import com.mlplatform.logexport.api.http.ApiResponse;
import com.mlplatform.logexport.api.idempotency.IdempotencyStore;
import com.mlplatform.logexport.api.idempotency.IdempotentRequests;
import com.mlplatform.logexport.api.status.PendingExports;
import com.mlplatform.logexport.api.status.StatusDocuments.ExportDocument;
import com.mlplatform.logexport.api.status.StatusRoutes;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.events.CompletionEvents;
import com.mlplatform.logexport.shared.events.Completions;
import com.mlplatform.logexport.shared.events.EventBridgeCompletionEvents;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.priming.Priming;
import com.mlplatform.logexport.shared.metrics.ExportMetrics;
import com.mlplatform.logexport.shared.metrics.MetricsLog;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.retry.Backoff;
import com.mlplatform.logexport.shared.usecase.UseCaseRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.crac.Resource;

/**
 * The request API Lambda (API Gateway HTTP API, payload format 2.0). Thin: it converts the event to an
 * {@link ApiRequest}, lets {@link RequestApi} decide, and converts the answer back.
 */
public final class RequestApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>,
        Resource {

    /**
     * Threads for the parallel DynamoDB and SQS calls of a batch. The calls block on I/O, so there are more threads
     * than cores; daemon threads, so a frozen or finished container is never held up by them.
     */
    private static final ExecutorService POOL = Executors.newFixedThreadPool(32, r -> {
        Thread t = new Thread(r, "request-api-io");
        t.setDaemon(true);
        return t;
    });

    /**
     * Our retries of throttled batch items, transaction conflicts and failed queue entries (the SDK retries whole
     * calls itself): up to 8 attempts, 25 ms base, 800 ms cap, so at most ~2.4 s of waiting, well inside API
     * Gateway's 30 s.
     */
    private static final Backoff BATCH_BACKOFF = new Backoff(Duration.ofMillis(25), Duration.ofMillis(800), 8);

    private final RequestApi api;
    private final ApiConfig config;
    private final AwsSettings settings;

    /**
     * For the Lambda runtime: configuration and clients from the environment, built once per container, and
     * {@link #beforeCheckpoint} registered for SnapStart.
     */
    public RequestApiHandler() {
        this(System.getenv(), new AwsClients(AwsSettings.fromEnv(System.getenv())));
        Priming.register(this);
    }

    private RequestApiHandler(Map<String, String> env, AwsClients clients) {
        this(clients, ApiConfig.fromEnv(env), new EventBridgeCompletionEvents(clients.events(),
                EventBridgeCompletionEvents.busFromEnv(env)), MetricsLog.stdout());
    }

    /**
     * For tests and the local stack: the platform account's clients (an emulator's, say) and a configuration;
     * completion events on the default bus, metrics to stdout.
     */
    public RequestApiHandler(AwsClients platformClients, ApiConfig config) {
        this(platformClients, config, new EventBridgeCompletionEvents(platformClients.events(),
                EventBridgeCompletionEvents.DEFAULT_BUS), MetricsLog.stdout());
    }

    /** With completion events and metrics going where the caller says. */
    public RequestApiHandler(AwsClients platformClients, ApiConfig config, CompletionEvents events,
                             MetricsLog metrics) {
        this(platformClients, config, events, metrics, UnaryOperator.identity());
    }

    /**
     * For tests that fail the queue where the emulator cannot: {@code queue} wraps the SQS port (a send that
     * fails, or an invocation that dies between writing its jobs and sending their messages).
     */
    RequestApiHandler(AwsClients platformClients, ApiConfig config, UnaryOperator<QueueSends> queue) {
        this(platformClients, config, new EventBridgeCompletionEvents(platformClients.events(),
                EventBridgeCompletionEvents.DEFAULT_BUS), MetricsLog.stdout(), queue);
    }

    private RequestApiHandler(AwsClients platformClients, ApiConfig config, CompletionEvents events,
                              MetricsLog metrics, UnaryOperator<QueueSends> queue) {
        var log = new StructuredLog("request-api");
        this.api = wire(platformClients, config, Clock.systemUTC(),
                new Completions(events, new ExportMetrics(metrics), log), queue, log);
        this.config = config;
        this.settings = platformClients.settings();
    }

    /** Every collaborator, built once; the exports table is reached only through the adapters of {@code exportstable}. */
    private static RequestApi wire(AwsClients platformClients, ApiConfig config, Clock clock, Completions completions,
                                   UnaryOperator<QueueSends> queue, StructuredLog log) {
        var dynamo = platformClients.dynamo();
        var resources = config.resources();
        var exportsTable = resources.exportsTable();
        var jobs = new ExportJobRepository(dynamo, exportsTable);
        var indexes = new DynamoExportIndexes(dynamo, exportsTable);
        var access = new AccessControl(new UseCaseRegistry(dynamo, resources.usecasesTable())::find);
        var links = new DownloadLinks(platformClients.presigner(), config.presignTtl(), clock);
        var dynamoRetry = RetryMetrics.loop(BATCH_BACKOFF, "DynamoDB", completions.metrics());
        var sqsRetry = RetryMetrics.loop(BATCH_BACKOFF, "SQS", completions.metrics());
        var liveness = new Liveness(config.stuckAfter());
        var sends = queue.apply(new SqsQueueSends(platformClients.sqs(), resources.queueUrl()));
        var acceptor = new ExportAcceptor(new ExportAcceptor.Ports(jobs,
                new InflightGuards(new DynamoGuardTable(dynamo, exportsTable), jobs::find, liveness, dynamoRetry),
                indexes,
                new JobBatchWriter(new DynamoJobTableWrites(dynamo, exportsTable), POOL, dynamoRetry),
                new MessageBatchSender(sends, POOL, sqsRetry)),
                new ExportAcceptor.Policy(config.maxActiveExportsPerUser(), liveness), POOL, clock, completions);
        var idempotent = new IdempotentRequests(
                new IdempotencyStore(new DynamoIdempotencyRecords(dynamo, exportsTable)), clock);
        var batchRecords = new DynamoBatchRecords(dynamo, exportsTable);
        var batchAcceptor = new BatchAcceptor(acceptor, batchRecords, batchRecords,
                new SqsFanoutQueue(platformClients.sqs(), config.fanoutQueueUrl()), clock, completions);
        var accept = new AcceptRoutes(access, acceptor, idempotent, batchAcceptor);
        var pending = new PendingExports(batchRecords);
        var batches = new IndexedBatchMembership(indexes, batchRecords, pending);
        var status = new StatusRoutes(access, jobs, batches, pending, links, clock, completions);
        return new RequestApi(config, new RequestApi.Routes(accept, status,
                new DownloadRoute(access, indexes, links, accept, ExportDocument::of, config.downloadReuseWindow(),
                        clock),
                new ArchiveRoutes(access, batches, jobs::find, new DynamoArchiveRecords(dynamo, exportsTable), sends,
                        status, clock)), log);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return respond(api, event, context);
    }

    /**
     * SnapStart priming: the routes a caller uses most (preflight, create, status, batch, download), each once through
     * the whole handler (event conversion, routing, identity, validation, DynamoDB marshalling, error and CORS
     * answers) on {@link AwsClients#offline} clients, then a presigned URL (signed locally). Every answer is
     * discarded; no AWS resource is read or written, nothing is logged.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try (AwsClients offline = AwsClients.offline(settings.region())) {
            RequestApi primer = wire(offline, config, Clock.systemUTC(), Priming.completions("request-api-priming"),
                    UnaryOperator.identity(), Priming.log("request-api-priming"));
            String origin = config.corsAllowedOrigins().isEmpty() ? "*" : config.corsAllowedOrigins().get(0);
            String exportId = ExportIds.newExportId();
            respond(primer, primingEvent("OPTIONS", "/log-exports/" + exportId, origin, null), null);
            respond(primer, primingEvent("POST", "/usecases/priming/trainings/priming/log-exports", origin, null), null);
            respond(primer, primingEvent("POST", "/usecases/priming/log-exports", origin,
                    "{\"trainingIds\":[\"priming\"]}"), null);
            respond(primer, primingEvent("GET", "/log-exports/" + exportId, origin, null), null);
            respond(primer, primingEvent("GET", "/usecases/priming/trainings/priming/logs/download", origin, null),
                    null);
            offline.presigner().presignGetObject(p -> p.signatureDuration(config.presignTtl())
                    .getObjectRequest(g -> g.bucket(config.resources().bucket()).key("exports/" + exportId)));
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to renew: the priming clients are closed, the real ones hold no connection across the snapshot
        // that the SDK would not reopen.
    }

    /** An API Gateway HTTP API event as the JWT authorizer passes it on, for priming. */
    private static APIGatewayV2HTTPEvent primingEvent(String method, String path, String origin, String body) {
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build();
        var jwt = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                .withClaims(Map.of("sub", "priming")).build();
        var requestContext = APIGatewayV2HTTPEvent.RequestContext.builder().withHttp(http)
                .withRequestId(UUID.randomUUID().toString())
                .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(jwt).build())
                .build();
        Map<String, String> headers = new HashMap<>(Map.of("origin", origin, "access-control-request-method", "GET"));
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        return APIGatewayV2HTTPEvent.builder().withRawPath(path).withHeaders(headers).withBody(body)
                .withRequestContext(requestContext).build();
    }

    private static APIGatewayV2HTTPResponse respond(RequestApi api, APIGatewayV2HTTPEvent event, Context context) {
        ApiResponse response = api.handle(toRequest(event, context));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }

    static ApiRequest toRequest(APIGatewayV2HTTPEvent event, Context context) {
        var ctx = event == null ? null : event.getRequestContext();
        String method = ctx != null && ctx.getHttp() != null ? ctx.getHttp().getMethod() : null;
        String requestId = ctx != null && ctx.getRequestId() != null ? ctx.getRequestId()
                : context != null && context.getAwsRequestId() != null ? context.getAwsRequestId()
                : UUID.randomUUID().toString();
        Map<String, String> claims = ctx != null && ctx.getAuthorizer() != null && ctx.getAuthorizer().getJwt() != null
                ? ctx.getAuthorizer().getJwt().getClaims() : null;
        String body = event == null ? null : event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            body = decodeBase64(body);
        }
        return new ApiRequest(method, event == null ? null : event.getRawPath(),
                event == null ? null : event.getHeaders(), body, requestId, claims);
    }

    /** An undecodable body becomes one that fails JSON parsing (a 400), not an exception. */
    private static String decodeBase64(String body) {
        try {
            return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "\u0000";
        }
    }
}
