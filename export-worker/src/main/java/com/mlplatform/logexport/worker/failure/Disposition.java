package com.mlplatform.logexport.worker.failure;

import com.mlplatform.logexport.shared.error.ErrorCode;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What an exception that ends an export invocation means for its export. Only the error table's permanent errors
 * end the export; a brief outage of the platform's own services (DynamoDB, SQS, S3, STS) never does: the message
 * goes back to SQS, whose redelivery the job ledger's claim makes safe, and the export carries on from its last
 * durable checkpoint.
 */
public sealed interface Disposition {

    /** A permanent error of the error table (docs/design-seed.md): the export ends FAILED with it. */
    record Fail(ErrorCode code, String userMessage) implements Disposition {
    }

    /**
     * Throttling, a 5xx, a timeout, a dropped connection or expired platform credentials, past the SDK's retries
     * and ours: deliver the message again later.
     */
    record Retry(AwsFailures.Kind kind) implements Disposition {
    }

    /** Anything else: a bug or an unforeseen AWS answer; the export ends FAILED (INTERNAL) with a reference. */
    record Unexpected() implements Disposition {
    }

    static Disposition of(RuntimeException e) {
        if (e instanceof JobFailure f) {
            return new Fail(f.code(), f.userMessage());
        }
        if (e instanceof RetryableFailure || e instanceof OutOfTime) {
            return new Retry(kindOf(e));
        }
        if (e instanceof ExpiredCredentials) {
            return new Retry(AwsFailures.Kind.EXPIRED);
        }
        SdkException sdk = AwsFailures.findCause(e, SdkException.class);
        if (sdk != null && AwsFailures.isTransient(AwsFailures.classify(sdk))) {
            return new Retry(AwsFailures.classify(sdk));
        }
        return new Unexpected();
    }

    /** Whether the export must stop for good (and leave nothing behind). */
    default boolean endsExport() {
        return !(this instanceof Retry);
    }

    /** Of our own retry wrappers: the SDK failure they carry, or (out of time with none) a timeout. */
    private static AwsFailures.Kind kindOf(RuntimeException e) {
        SdkException sdk = AwsFailures.findCause(e, SdkException.class);
        return sdk == null ? AwsFailures.Kind.TIMEOUT : AwsFailures.classify(sdk);
    }
}
