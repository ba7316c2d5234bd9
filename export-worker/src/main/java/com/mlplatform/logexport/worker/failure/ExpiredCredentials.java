package com.mlplatform.logexport.worker.failure;

/** The assumed role's session token expired mid-export: get fresh credentials and retry once. */
public final class ExpiredCredentials extends RuntimeException {

    public ExpiredCredentials(String operation, Throwable cause) {
        super("credentials expired on " + operation, cause, false, false);
    }
}
