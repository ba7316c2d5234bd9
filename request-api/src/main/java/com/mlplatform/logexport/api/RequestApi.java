package com.mlplatform.logexport.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mlplatform.logexport.api.access.AccessControl;
import com.mlplatform.logexport.api.access.Caller;
import com.mlplatform.logexport.api.accept.ExportAcceptor;
import com.mlplatform.logexport.api.accept.ExportRequestBody;
import com.mlplatform.logexport.api.http.ApiException;
import com.mlplatform.logexport.api.http.ApiRequest;
import com.mlplatform.logexport.api.http.ApiResponse;
import com.mlplatform.logexport.api.http.Cors;
import com.mlplatform.logexport.api.http.Identifiers;
import com.mlplatform.logexport.api.http.Router;
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
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The request API as plain Java: {@link ApiRequest} in, {@link ApiResponse} out. The Lambda handler only converts
 * events; everything that decides anything is here and below.
 */
public final class RequestApi {

    private static final StructuredLog LOG = new StructuredLog("request-api");

    private final ApiConfig config;
    private final Router router = new Router();
    private final Cors cors;
    private final AccessControl access;
    private final ExportJobRepository jobs;
    private final ExportAcceptor acceptor;
    private final DownloadLinks links;

    public RequestApi(ApiConfig config, AccessControl access, ExportJobRepository jobs, ExportAcceptor acceptor,
                      DownloadLinks links) {
        this.config = config;
        this.cors = new Cors(config.corsAllowedOrigins());
        this.access = access;
        this.jobs = jobs;
        this.acceptor = acceptor;
        this.links = links;
    }

    public ApiResponse handle(ApiRequest request) {
        String origin = request.header("origin").orElse(null);
        ApiResponse response;
        try {
            response = dispatch(request);
        } catch (ApiException e) {
            response = error(e.code(), e.getMessage(), request.requestId()).withHeaders(e.headers());
        } catch (SdkException e) {
            // AWS said no or could not be reached: the user gets a retryable 503, the log gets the detail.
            LOG.error("aws_error", "requestId", request.requestId(), "exception", e.getClass().getSimpleName(),
                    "message", String.valueOf(e.getMessage()));
            response = error(ErrorCode.UNAVAILABLE, ErrorCode.UNAVAILABLE.defaultMessage(), request.requestId())
                    .withHeader("Retry-After", "5");
        } catch (RuntimeException e) {
            LOG.error("unexpected_error", "requestId", request.requestId(), "exception", e.getClass().getName(),
                    "message", String.valueOf(e.getMessage()));
            response = error(ErrorCode.INTERNAL, ErrorCode.INTERNAL.defaultMessage(), request.requestId());
        }
        return response.withHeaders(cors.headers(origin)).withHeader("X-Request-Id", request.requestId());
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
            case GET_EXPORT -> getExport(caller, Identifiers.exportId(p.get("exportId")));
            default -> throw new ApiException(ErrorCode.NOT_FOUND, "Not implemented yet.");
        };
    }

    private ApiResponse createExport(Caller caller, String usecaseId, String trainingId, ApiRequest request) {
        ExportOptions options = ExportRequestBody.single(request.body());
        UseCase useCase = access.requireMember(usecaseId, caller);
        ExportJob job = acceptor.acceptOne(caller, useCase, trainingId, options);
        LOG.info("export_accepted", "requestId", request.requestId(), "exportId", job.exportId(),
                "usecaseId", usecaseId);
        return accepted(job);
    }

    private ApiResponse getExport(Caller caller, String exportId) {
        ExportJob job = access.requireVisible(jobs.find(exportId), caller, "Export " + exportId);
        var link = job.status() == ExportStatus.SUCCEEDED && job.result() != null ? links.mint(job.result()) : null;
        return ApiResponse.json(200, Json.write(StatusDocument.of(job, link)));
    }

    static ApiResponse accepted(ExportJob job) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("exportId", job.exportId());
        body.put("status", job.status().name());
        body.put("statusUrl", StatusDocument.statusUrl(job.exportId()));
        return ApiResponse.json(202, Json.write(body)).withHeader("Location", StatusDocument.statusUrl(job.exportId()));
    }

    static ApiResponse error(ErrorCode code, String message, String requestId) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode e = body.putObject("error");
        e.put("code", code.name());
        e.put("message", message);
        e.put("requestId", requestId);
        return ApiResponse.json(code.httpStatus(), Json.write(body));
    }

    private static String printable(String s) {
        String cleaned = s.replaceAll("[^\\x21-\\x7e]", "?");
        return cleaned.length() > 120 ? cleaned.substring(0, 120) + "..." : cleaned;
    }
}
