package com.mlplatform.logexport.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mlplatform.logexport.api.access.AccessControl;
import com.mlplatform.logexport.api.access.Caller;
import com.mlplatform.logexport.api.accept.Acceptance;
import com.mlplatform.logexport.api.accept.ExportAcceptor;
import com.mlplatform.logexport.api.accept.ExportRequestBody;
import com.mlplatform.logexport.api.accept.Sha256;
import com.mlplatform.logexport.api.download.RecentExports;
import com.mlplatform.logexport.api.http.ApiException;
import com.mlplatform.logexport.api.http.ApiRequest;
import com.mlplatform.logexport.api.http.ApiResponse;
import com.mlplatform.logexport.api.http.Cors;
import com.mlplatform.logexport.api.http.Identifiers;
import com.mlplatform.logexport.api.http.Router;
import com.mlplatform.logexport.api.idempotency.IdempotencyStore;
import com.mlplatform.logexport.api.status.BatchExports;
import com.mlplatform.logexport.api.status.DownloadLink;
import com.mlplatform.logexport.api.status.DownloadLinks;
import com.mlplatform.logexport.api.status.StatusDocument;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.usecase.UseCase;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The request API as plain Java: {@link ApiRequest} in, {@link ApiResponse} out. The Lambda handler only converts
 * events; everything that decides anything is here and below.
 *
 * <p>Order of checks on every request: route (404/405, OPTIONS preflight) → identity (401) → path parameters and
 * body (400/413) → use-case membership (404/403, or 404 for someone else's export) → idempotency → the work.
 */
public final class RequestApi {

    private static final StructuredLog LOG = new StructuredLog("request-api");
    private static final String UNAVAILABLE_RETRY_AFTER = "5";

    /** Everything the API talks to, built once per container by the handler. */
    public record Collaborators(AccessControl access, ExportJobRepository jobs, ExportAcceptor acceptor,
                                IdempotencyStore idempotency, DownloadLinks links, BatchExports batches,
                                RecentExports recent) {
    }

    private final ApiConfig config;
    private final Router router = new Router();
    private final Cors cors;
    private final Collaborators c;
    private final Clock clock;

    public RequestApi(ApiConfig config, Collaborators collaborators, Clock clock) {
        this.config = config;
        this.cors = new Cors(config.corsAllowedOrigins());
        this.c = collaborators;
        this.clock = clock;
    }

    public ApiResponse handle(ApiRequest request) {
        long started = System.nanoTime();
        ApiResponse response;
        try {
            response = dispatch(request);
        } catch (ApiException e) {
            response = error(e.code(), e.getMessage(), request.requestId()).withHeaders(e.headers());
        } catch (SdkException e) {
            // AWS refused or could not be reached: the caller gets a retryable 503, the log gets the detail.
            // Only code, status and AWS request id: AWS's messages can name principal and resource ARNs.
            LOG.error("aws_error", "requestId", request.requestId(), "exception", e.getClass().getSimpleName(),
                    "errorCode", awsErrorCode(e), "httpStatus", awsStatus(e), "awsRequestId", awsRequestId(e));
            response = error(ErrorCode.UNAVAILABLE, ErrorCode.UNAVAILABLE.defaultMessage(), request.requestId())
                    .withHeader("Retry-After", UNAVAILABLE_RETRY_AFTER);
        } catch (RuntimeException e) {
            LOG.error("unexpected_error", "requestId", request.requestId(), "exception", e.getClass().getName(),
                    "message", String.valueOf(e.getMessage()));
            response = error(ErrorCode.INTERNAL, ErrorCode.INTERNAL.defaultMessage(), request.requestId());
        }
        LOG.info("request", "requestId", request.requestId(), "method", printable(request.method()),
                "path", printable(request.rawPath()), "status", response.status(),
                "ms", (System.nanoTime() - started) / 1_000_000);
        return response.withHeaders(cors.headers(request.header("origin").orElse(null)))
                .withHeader("X-Request-Id", request.requestId());
    }

    static String awsErrorCode(SdkException e) {
        return e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                ? ase.awsErrorDetails().errorCode() : null;
    }

    static Integer awsStatus(SdkException e) {
        return e instanceof AwsServiceException ase ? ase.statusCode() : null;
    }

    static String awsRequestId(SdkException e) {
        return e instanceof AwsServiceException ase ? ase.requestId() : null;
    }

    private ApiResponse dispatch(ApiRequest request) {
        Router.Route route = router.route(request.method(), request.rawPath());
        if (route instanceof Router.Matched m) {
            return invoke(m, request);
        }
        if (route instanceof Router.Preflight p) {
            String allow = String.join(", ", p.allowedMethods());
            return new ApiResponse(204, cors.preflight(request.header("origin").orElse(null), p.allowedMethods()),
                    null).withHeader("Allow", allow);
        }
        if (route instanceof Router.MethodNotAllowed m) {
            String allow = String.join(", ", m.allowedMethods());
            throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "This path does not support "
                    + printable(request.method()) + ". Allowed: " + allow + ".", Map.of("Allow", allow));
        }
        throw new ApiException(ErrorCode.NOT_FOUND, "No such route: " + printable(request.method()) + " "
                + printable(request.rawPath()) + ".");
    }

    private ApiResponse invoke(Router.Matched m, ApiRequest request) {
        Caller caller = Caller.fromClaims(request.claims(), config.userIdClaim());
        Map<String, String> p = m.params();
        return switch (m.operation()) {
            case CREATE_EXPORT -> createExport(caller, Identifiers.usecaseId(p.get("usecaseId")),
                    Identifiers.trainingId(p.get("trainingId")), request);
            case CREATE_BATCH -> createBatch(caller, Identifiers.usecaseId(p.get("usecaseId")), request);
            case GET_EXPORT -> getExport(caller, Identifiers.exportId(p.get("exportId")));
            case CANCEL_EXPORT -> cancelExport(caller, Identifiers.exportId(p.get("exportId")));
            case GET_BATCH -> getBatch(caller, Identifiers.batchId(p.get("batchId")));
            case LEGACY_DOWNLOAD -> legacyDownload(caller, Identifiers.usecaseId(p.get("usecaseId")),
                    Identifiers.trainingId(p.get("trainingId")));
        };
    }

    // --- POST /usecases/{usecaseId}/trainings/{trainingId}/log-exports

    private ApiResponse createExport(Caller caller, String usecaseId, String trainingId, ApiRequest request) {
        ExportOptions options = ExportRequestBody.single(request.body());
        UseCase useCase = c.access().requireMember(usecaseId, caller);
        String fingerprint = "export|" + usecaseId + "|" + trainingId + "|" + options.fingerprint();
        return idempotent(caller, request, fingerprint, () -> startOne(caller, useCase, trainingId, options));
    }

    private ApiResponse startOne(Caller caller, UseCase useCase, String trainingId, ExportOptions options) {
        Acceptance a = c.acceptor().accept(caller, useCase, List.of(trainingId), options, null).get(0);
        if (a instanceof Acceptance.Created created) {
            return accepted(created.exportId(), ExportStatus.QUEUED);
        }
        if (a instanceof Acceptance.Reused reused) {
            return accepted(reused.exportId(), reused.status());
        }
        Acceptance.Rejected rejected = (Acceptance.Rejected) a;
        throw new ApiException(rejected.code(), rejected.message(), rejected.code() == ErrorCode.UNAVAILABLE
                ? Map.of("Retry-After", UNAVAILABLE_RETRY_AFTER) : Map.of());
    }

    // --- POST /usecases/{usecaseId}/log-exports

    private ApiResponse createBatch(Caller caller, String usecaseId, ApiRequest request) {
        ExportRequestBody.Batch batch = ExportRequestBody.batch(request.body());
        UseCase useCase = c.access().requireMember(usecaseId, caller);
        String fingerprint = "batch|" + usecaseId + "|" + batch.options().fingerprint() + "|"
                + Sha256.hex(Json.write(batch.trainingIds()));
        return idempotent(caller, request, fingerprint, () -> startBatch(caller, useCase, batch));
    }

    private ApiResponse startBatch(Caller caller, UseCase useCase, ExportRequestBody.Batch batch) {
        LinkedHashSet<String> valid = new LinkedHashSet<>();
        batch.trainingIds().stream().filter(Identifiers::isTrainingId).forEach(valid::add);
        String batchId = ExportAcceptor.newBatchId();
        Map<String, Acceptance> byTraining = new HashMap<>();
        if (!valid.isEmpty()) {
            c.acceptor().accept(caller, useCase, List.copyOf(valid), batch.options(), batchId)
                    .forEach(a -> byTraining.put(a.trainingId(), a));
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("batchId", batchId);
        body.put("statusUrl", batchUrl(batchId));
        ArrayNode exports = body.putArray("exports");
        for (String trainingId : batch.trainingIds()) {
            ObjectNode item = exports.addObject();
            item.put("trainingId", trainingId);
            Acceptance a = trainingId == null ? null : byTraining.get(trainingId);
            if (a instanceof Acceptance.Created created) {
                item.put("exportId", created.exportId());
                item.put("status", ExportStatus.QUEUED.name());
            } else if (a instanceof Acceptance.Reused reused) {
                item.put("exportId", reused.exportId());
                item.put("status", reused.status().name());
            } else {
                ObjectNode error = item.putObject("error");
                if (a instanceof Acceptance.Rejected rejected) {
                    error.put("code", rejected.code().name());
                    error.put("message", rejected.message());
                } else {
                    error.put("code", ErrorCode.INVALID_REQUEST.name());
                    error.put("message", Identifiers.trainingIdMessage());
                }
            }
        }
        return ApiResponse.json(202, Json.write(body)).withHeader("Location", batchUrl(batchId));
    }

    // --- GET /log-exports/{exportId}

    private ApiResponse getExport(Caller caller, String exportId) {
        ExportJob job = c.access().requireVisible(c.jobs().find(exportId), caller, "Export " + exportId);
        DownloadLink link = job.status() == ExportStatus.SUCCEEDED && job.result() != null
                ? c.links().mint(job.result()) : null;
        return ApiResponse.json(200, Json.write(StatusDocument.of(job, link)));
    }

    // --- DELETE /log-exports/{exportId}

    private ApiResponse cancelExport(Caller caller, String exportId) {
        ExportJob job = c.access().requireVisible(c.jobs().find(exportId), caller, "Export " + exportId);
        if (job.status().isActive()
                && c.jobs().finishIfActive(exportId, ExportStatus.CANCELLED, null, clock.instant())) {
            LOG.info("export_cancelled", "exportId", exportId, "by", caller.userId());
            return accepted(exportId, ExportStatus.CANCELLED);
        }
        ExportStatus now = c.jobs().find(exportId).map(ExportJob::status).orElse(job.status());
        if (now == ExportStatus.CANCELLED) {
            // Cancelling twice is not an error: the caller's wish holds.
            return accepted(exportId, ExportStatus.CANCELLED);
        }
        throw new ApiException(ErrorCode.CONFLICT, "The export has already finished (" + now
                + "), so there is nothing to cancel.");
    }

    // --- GET /log-export-batches/{batchId}

    private ApiResponse getBatch(Caller caller, String batchId) {
        List<ExportJob> jobs = new ArrayList<>(c.batches().find(batchId));
        if (jobs.isEmpty() || !c.access().canSee(jobs.get(0).usecaseId(), caller)) {
            throw AccessControl.notFound("Batch " + batchId);
        }
        jobs.sort(Comparator.comparing(ExportJob::trainingId));
        Map<ExportStatus, Integer> counts = new EnumMap<>(ExportStatus.class);
        for (ExportStatus s : ExportStatus.values()) {
            counts.put(s, 0);
        }
        jobs.forEach(j -> counts.merge(j.status(), 1, Integer::sum));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("batchId", batchId);
        body.put("usecaseId", jobs.get(0).usecaseId());
        body.put("total", jobs.size());
        ObjectNode countNode = body.putObject("counts");
        counts.forEach((s, n) -> countNode.put(s.name(), n));
        ArrayNode exports = body.putArray("exports");
        jobs.forEach(j -> exports.add(StatusDocument.summary(j)));
        return ApiResponse.json(200, Json.write(body));
    }

    // --- GET /usecases/{usecaseId}/trainings/{trainingId}/logs/download (the seed's original route)

    private ApiResponse legacyDownload(Caller caller, String usecaseId, String trainingId) {
        UseCase useCase = c.access().requireMember(usecaseId, caller);
        Instant since = clock.instant().minus(config.downloadReuseWindow());
        Optional<ExportJob> done = c.recent().latestSucceeded(caller.userId(), usecaseId, trainingId, since);
        if (done.isPresent()) {
            DownloadLink link = c.links().mint(done.get().result());
            ObjectNode body = StatusDocument.of(done.get(), link);
            return ApiResponse.json(303, Json.write(body)).withHeader("Location", link.url());
        }
        return startOne(caller, useCase, trainingId, ExportOptions.DEFAULT);
    }

    // --- shared pieces

    /**
     * Runs {@code work} at most once per (caller, Idempotency-Key) within 24 h; a replay gets the first answer.
     * Only a 2xx answer is kept: after an error the key is freed so the client can simply retry.
     */
    private ApiResponse idempotent(Caller caller, ApiRequest request, String fingerprint,
                                   Supplier<ApiResponse> work) {
        Optional<String> header = request.header("idempotency-key");
        if (header.isEmpty()) {
            return work.get();
        }
        String key = Identifiers.idempotencyKey(header.get());
        IdempotencyStore.Begin begin = c.idempotency().begin(caller.userId(), key, fingerprint, clock.instant());
        if (begin instanceof IdempotencyStore.Replay replay) {
            ApiResponse r = ApiResponse.json(replay.status(), replay.body()).withHeader("Idempotent-Replayed", "true");
            return replay.location() == null ? r : r.withHeader("Location", replay.location());
        }
        if (begin instanceof IdempotencyStore.InProgress) {
            throw new ApiException(ErrorCode.CONFLICT, "A request with this Idempotency-Key is still being"
                    + " processed. Retry in a moment to get its result.", Map.of("Retry-After", "1"));
        }
        if (begin instanceof IdempotencyStore.Mismatch) {
            throw ApiException.invalid("This Idempotency-Key was already used for a different request in the last"
                    + " 24 hours. Use a new key for a new request.");
        }
        String token = ((IdempotencyStore.Fresh) begin).token();
        ApiResponse response;
        try {
            response = work.get();
        } catch (RuntimeException e) {
            abandonQuietly(token);
            throw e;
        }
        if (response.status() / 100 == 2) {
            c.idempotency().complete(token, response.status(), response.body(), response.headers().get("Location"));
        } else {
            abandonQuietly(token);
        }
        return response;
    }

    private void abandonQuietly(String token) {
        try {
            c.idempotency().abandon(token);
        } catch (SdkException e) {
            // The claim stays PENDING until its 60 s lease runs out; the original error matters more.
            LOG.warn("idempotency_abandon_failed", "exception", e.getClass().getSimpleName());
        }
    }

    static ApiResponse accepted(String exportId, ExportStatus status) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("exportId", exportId);
        body.put("status", status.name());
        body.put("statusUrl", StatusDocument.statusUrl(exportId));
        return ApiResponse.json(202, Json.write(body)).withHeader("Location", StatusDocument.statusUrl(exportId));
    }

    static String batchUrl(String batchId) {
        return "/log-export-batches/" + batchId;
    }

    static ApiResponse error(ErrorCode code, String message, String requestId) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode e = body.putObject("error");
        e.put("code", code.name());
        e.put("message", message);
        e.put("requestId", requestId);
        return ApiResponse.json(code.httpStatus(), Json.write(body));
    }

    /** Caller-supplied text in a message or log line: printable ASCII only, and short. */
    static String printable(String s) {
        String cleaned = s.replaceAll("[^\\x21-\\x7e]", "?");
        return cleaned.length() > 120 ? cleaned.substring(0, 120) + "..." : cleaned;
    }
}
