package com.mlplatform.logexport.shared.job;

import java.util.Objects;

/**
 * What the caller asked for besides the training job: file format and an optional time window
 * ({@code startTime} inclusive, {@code endTime} exclusive, epoch milliseconds; null means open).
 */
public record ExportOptions(ExportFormat format, Long startTime, Long endTime) {

    public static final ExportOptions DEFAULT = new ExportOptions(ExportFormat.TEXT, null, null);

    public ExportOptions {
        Objects.requireNonNull(format, "format");
        if (startTime != null && endTime != null && startTime > endTime) {
            throw new IllegalArgumentException("startTime must not be after endTime");
        }
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /** A stable key for "same options", used by the in-flight dedupe. */
    public String fingerprint() {
        return format.wireName() + ":" + (startTime == null ? "" : startTime) + ":" + (endTime == null ? "" : endTime);
    }
}
