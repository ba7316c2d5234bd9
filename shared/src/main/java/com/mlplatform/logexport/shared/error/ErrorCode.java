package com.mlplatform.logexport.shared.error;

/**
 * Every failure a user can see, with its HTTP status (the seed design's error table) and a default message written
 * for a person, not a developer. Job records store the name; the API maps it to the status.
 */
public enum ErrorCode {
    INVALID_REQUEST(400, "The request is not valid."),
    UNAUTHENTICATED(401, "Sign in to continue: the request carried no user identity."),
    ACCESS_DENIED(403, "You do not have access to this resource."),
    NOT_FOUND(404, "Not found."),
    NO_LOGS(404, "No logs available yet for this training job."),
    METHOD_NOT_ALLOWED(405, "This method is not allowed on this path."),
    CONFLICT(409, "The export has already finished."),
    PAYLOAD_TOO_LARGE(413, "The request body is too large."),
    TOO_MANY_REQUESTS(429, "Too many exports are running for you. Wait for one to finish and try again."),
    INTERNAL(500, "Something went wrong on our side. Quote the request id if you contact support."),
    UNAVAILABLE(503, "The service is busy. Please try again shortly.");

    private final int httpStatus;
    private final String defaultMessage;

    ErrorCode(int httpStatus, String defaultMessage) {
        this.httpStatus = httpStatus;
        this.defaultMessage = defaultMessage;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String defaultMessage() {
        return defaultMessage;
    }
}
