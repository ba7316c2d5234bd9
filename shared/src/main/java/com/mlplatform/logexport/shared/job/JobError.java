package com.mlplatform.logexport.shared.job;

import com.mlplatform.logexport.shared.error.ErrorCode;
import java.util.Objects;

/** Why a job FAILED, in words for the user; {@code correlationId} ties it to the structured logs. */
public record JobError(ErrorCode code, String message, String correlationId) {
    public JobError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
