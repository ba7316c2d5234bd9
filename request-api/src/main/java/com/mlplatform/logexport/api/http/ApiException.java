package com.mlplatform.logexport.api.http;

import com.mlplatform.logexport.shared.error.ErrorCode;
import java.util.Map;

/**
 * A failure the caller is told about: an {@link ErrorCode} (which fixes the HTTP status), a message written for a
 * person, and any headers the status calls for ({@code Allow}, {@code Retry-After}). Thrown anywhere below the
 * handler; the handler turns it into {@code {"error":{"code","message","requestId"}}}.
 */
public final class ApiException extends RuntimeException {

    /** What a 503 tells the client to wait: AWS refused or could not be reached, a retry soon may well work. */
    public static final String UNAVAILABLE_RETRY_AFTER = "5";

    private final ErrorCode code;
    private final Map<String, String> headers;

    public ApiException(ErrorCode code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public ApiException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public ApiException(ErrorCode code) {
        this(code, code.defaultMessage());
    }

    /** 503 + Retry-After: a retryable failure of AWS, told without its detail. */
    public static ApiException unavailable(String message) {
        return new ApiException(ErrorCode.UNAVAILABLE, message, Map.of("Retry-After", UNAVAILABLE_RETRY_AFTER));
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_REQUEST, message);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
