package com.mlplatform.logexport.worker.failure;

/**
 * The invocation's time budget ran out (usually while backing off from throttling). Not a failure: the export
 * checkpoints and a continuation picks it up.
 */
public final class OutOfTime extends RuntimeException {

    public OutOfTime(String why, Throwable cause) {
        super(why, cause, false, false);
    }
}
