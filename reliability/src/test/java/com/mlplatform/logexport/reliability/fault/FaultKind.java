package com.mlplatform.logexport.reliability.fault;

/** What the fault proxy does to one call instead of answering it normally. */
public enum FaultKind {
    /** The service's own throttling error, in its own shape (DynamoDB/SQS JSON, S3/STS XML). */
    THROTTLING("throttling"),
    /** A 500 in the service's shape. */
    SERVER_ERROR("5xx"),
    /** The connection is reset before the request reaches the service: nothing happened. */
    DROPPED_CONNECTION("dropped connection"),
    /** A write reaches the service and commits, then the connection is reset: the caller cannot know it worked. */
    COMMITTED_THEN_DROPPED("committed, then response dropped");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
