package com.mlplatform.logexport.worker.failure;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK exceptions into the worker's failure model. Only error codes and HTTP statuses are looked at: AWS's
 * own messages can name ARNs and principals, so they are never copied into job errors.
 */
public final class AwsFailures {

    private static final Set<String> EXPIRED = Set.of("ExpiredToken", "ExpiredTokenException",
            "RequestExpired", "TokenRefreshRequired");
    private static final Set<String> THROTTLED = Set.of("ThrottlingException", "Throttling", "SlowDown",
            "TooManyRequestsException", "RequestLimitExceeded", "ProvisionedThroughputExceededException",
            "RequestThrottled");
    /**
     * Transient although answered with a 4xx: S3's RequestTimeout (the connection idled while sending the body),
     * and "try again" answers.
     *
     * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html">S3 error codes</a>
     */
    private static final Set<String> TIMED_OUT = Set.of("RequestTimeout", "RequestTimeoutException",
            "PriorRequestNotComplete");
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException",
            "UnauthorizedOperation", "UnrecognizedClientException", "InvalidClientTokenId");
    private static final Set<String> INVALID = Set.of("InvalidParameterException", "ValidationError",
            "ValidationException", "InvalidParameterValue");

    private AwsFailures() {
    }

    /** What kind of failure an SDK exception is, independent of which call raised it. */
    public enum Kind { EXPIRED, THROTTLED, SERVER_ERROR, NETWORK, TIMEOUT, DENIED, NOT_FOUND, INVALID, OTHER }

    public static Kind classify(SdkException e) {
        if (e instanceof AwsServiceException ase) {
            String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
            int status = ase.statusCode();
            if (code != null && EXPIRED.contains(code)) {
                return Kind.EXPIRED;
            }
            if (ase.isThrottlingException() || (code != null && THROTTLED.contains(code)) || status == 429) {
                return Kind.THROTTLED;
            }
            if (status >= 500) {
                return Kind.SERVER_ERROR;
            }
            if (code != null && TIMED_OUT.contains(code)) {
                return Kind.TIMEOUT;
            }
            if ((code != null && DENIED.contains(code)) || status == 403) {
                return Kind.DENIED;
            }
            if ("ResourceNotFoundException".equals(code) || "NoSuchKey".equals(code)) {
                return Kind.NOT_FOUND;
            }
            if (code != null && INVALID.contains(code)) {
                return Kind.INVALID;
            }
            return Kind.OTHER;
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return Kind.TIMEOUT;
        }
        if (e instanceof SdkClientException) {
            return Kind.NETWORK;
        }
        return Kind.OTHER;
    }

    /** Kinds that may go away if the call is made again later (and so never end an export). */
    public static boolean isTransient(Kind kind) {
        return switch (kind) {
            case EXPIRED, THROTTLED, SERVER_ERROR, NETWORK, TIMEOUT -> true;
            case DENIED, NOT_FOUND, INVALID, OTHER -> false;
        };
    }

    /**
     * Rethrows the retry-relevant kinds as {@link ExpiredCredentials} / {@link RetryableFailure}; returns the kind
     * for the caller to map the rest in its own terms (it knows the resource and permission involved).
     */
    public static Kind rethrowTransient(SdkException e, String operation) {
        JobFailure wrapped = findCause(e, JobFailure.class);
        if (wrapped != null) {
            throw wrapped; // raised by our credentials provider inside the SDK's pipeline
        }
        Kind kind = classify(e);
        switch (kind) {
            case EXPIRED -> throw new ExpiredCredentials(operation, e);
            case THROTTLED -> throw new RetryableFailure(RetryableFailure.Kind.THROTTLED, operation, e);
            case SERVER_ERROR -> throw new RetryableFailure(RetryableFailure.Kind.SERVER_ERROR, operation, e);
            case NETWORK, TIMEOUT -> throw new RetryableFailure(RetryableFailure.Kind.NETWORK, operation, e);
            default -> {
                return kind;
            }
        }
    }

    /** A short, safe description of an SDK exception for structured logs: class, code, status, request id. */
    public static String describe(Throwable e) {
        if (e instanceof AwsServiceException ase) {
            String code = ase.awsErrorDetails() == null ? "?" : ase.awsErrorDetails().errorCode();
            return ase.getClass().getSimpleName() + "(code=" + code + ", status=" + ase.statusCode()
                    + ", requestId=" + ase.requestId() + ")";
        }
        return e.getClass().getSimpleName();
    }

    static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
