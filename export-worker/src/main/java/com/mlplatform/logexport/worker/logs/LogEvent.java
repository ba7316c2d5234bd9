package com.mlplatform.logexport.worker.logs;

import java.util.Objects;

/** One CloudWatch log event as the export needs it: when, and what. */
public record LogEvent(long timestamp, String message) {
    public LogEvent {
        Objects.requireNonNull(message, "message");
    }
}
