package com.mlplatform.logexport.shared.session;

/**
 * A role session name that STS would reject. Raised before any AssumeRole call is made, so a bad name never reaches
 * AWS; callers turn it into an {@code INVALID_REQUEST} error with guidance.
 */
public final class InvalidSessionNameException extends IllegalArgumentException {

    public InvalidSessionNameException(String reason) {
        super(reason);
    }
}
