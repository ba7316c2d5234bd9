package com.mlplatform.logexport.api;

import com.mlplatform.logexport.api.access.Caller;
import com.mlplatform.logexport.api.accept.AcceptRoutes;
import com.mlplatform.logexport.api.archive.ArchiveRoutes;
import com.mlplatform.logexport.api.download.DownloadRoute;
import com.mlplatform.logexport.api.http.ApiException;
import com.mlplatform.logexport.api.http.ApiRequest;
import com.mlplatform.logexport.api.http.ApiResponse;
import com.mlplatform.logexport.api.http.Cors;
import com.mlplatform.logexport.api.http.ErrorBody;
import com.mlplatform.logexport.api.http.Identifiers;
import com.mlplatform.logexport.api.http.Router;
import com.mlplatform.logexport.api.status.StatusRoutes;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.log.StructuredLog;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The request API as plain Java: {@link ApiRequest} in, {@link ApiResponse} out. Dispatch and error mapping only;
 * each route family lives in its feature package ({@link AcceptRoutes}, {@link StatusRoutes},
 * {@link DownloadRoute}, {@link ArchiveRoutes}).
 *
 * <p>Order of checks on every request: route (404/405, OPTIONS preflight) → identity (401) → path parameters and
 * body (400/413) → use-case membership (404/403, or 404 for someone else's export) → idempotency → the work.
 */
public final class RequestApi {


    /** The route families, built once per container by the handler. */
    public record Routes(AcceptRoutes accept, StatusRoutes status, DownloadRoute download, ArchiveRoutes archive) {
    }

    private final Router router = new Router();
    private final Cors cors;
    private final String userIdClaim;
    private final Routes routes;
    private final StructuredLog log;

    public RequestApi(ApiConfig config, Routes routes) {
        this(config, routes, new StructuredLog("request-api"));
    }

    /** With a log of the caller's choosing: SnapStart priming discards its requests' lines. */
    public RequestApi(ApiConfig config, Routes routes, StructuredLog log) {
        this.cors = new Cors(config.corsAllowedOrigins());
        this.userIdClaim = config.userIdClaim();
        this.routes = routes;
        this.log = log;
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
            log.error("aws_error", "requestId", request.requestId(), "exception", e.getClass().getSimpleName(),
                    "errorCode", awsErrorCode(e), "httpStatus", awsStatus(e), "awsRequestId", awsRequestId(e));
            response = error(ErrorCode.UNAVAILABLE, ErrorCode.UNAVAILABLE.defaultMessage(), request.requestId())
                    .withHeader("Retry-After", ApiException.UNAVAILABLE_RETRY_AFTER);
        } catch (RuntimeException e) {
            log.error("unexpected_error", "requestId", request.requestId(), "exception", e.getClass().getName(),
                    "message", String.valueOf(e.getMessage()));
            response = error(ErrorCode.INTERNAL, ErrorCode.INTERNAL.defaultMessage(), request.requestId());
        }
        log.info("request", "requestId", request.requestId(), "method", printable(request.method()),
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
        Caller caller = Caller.fromClaims(request.claims(), userIdClaim);
        Map<String, String> p = m.params();
        return switch (m.operation()) {
            case CREATE_EXPORT -> routes.accept().createExport(caller, Identifiers.usecaseId(p.get("usecaseId")),
                    Identifiers.trainingId(p.get("trainingId")), request);
            case CREATE_BATCH -> routes.accept().createBatch(caller, Identifiers.usecaseId(p.get("usecaseId")),
                    request);
            case GET_EXPORT -> routes.status().getExport(caller, Identifiers.exportId(p.get("exportId")))
                    .toResponse();
            case CANCEL_EXPORT -> routes.status().cancelExport(caller, Identifiers.exportId(p.get("exportId")))
                    .toResponse();
            case GET_BATCH -> routes.status().getBatch(caller, Identifiers.batchId(p.get("batchId"))).toResponse();
            case CREATE_ARCHIVE -> routes.archive().request(caller, Identifiers.batchId(p.get("batchId")))
                    .toResponse();
            case LEGACY_DOWNLOAD -> routes.download().download(caller, Identifiers.usecaseId(p.get("usecaseId")),
                    Identifiers.trainingId(p.get("trainingId"))).toResponse();
        };
    }

    static ApiResponse error(ErrorCode code, String message, String requestId) {
        return ErrorBody.reply(code, message, requestId).toResponse();
    }

    /** Caller-supplied text in a message or log line: printable ASCII only, and short. */
    static String printable(String s) {
        String cleaned = s.replaceAll("[^\\x21-\\x7e]", "?");
        return cleaned.length() > 120 ? cleaned.substring(0, 120) + "..." : cleaned;
    }
}
