package com.mlplatform.logexport.shared.job;

import java.util.Objects;

/**
 * What the caller asked for besides the training job: file format, an optional time window ({@code startTime}
 * inclusive, {@code endTime} exclusive, epoch milliseconds; null means open) and the file's compression.
 */
public record ExportOptions(ExportFormat format, Long startTime, Long endTime, ExportCompression compression) {

    public static final ExportOptions DEFAULT = new ExportOptions(ExportFormat.TEXT, null, null);

    public ExportOptions {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(compression, "compression");
        if (startTime != null && endTime != null && startTime > endTime) {
            throw new IllegalArgumentException("startTime must not be after endTime");
        }
    }

    /** Uncompressed. */
    public ExportOptions(ExportFormat format, Long startTime, Long endTime) {
        this(format, startTime, endTime, ExportCompression.NONE);
    }

    public ExportOptions withCompression(ExportCompression c) {
        return new ExportOptions(format, startTime, endTime, c);
    }

    /** The finished object's Content-Type. */
    public String contentType() {
        return compression.contentType(format);
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /**
     * A stable key for "same options", used by the in-flight dedupe. Uncompressed options keep the key they had
     * before compression existed, so jobs recorded then still match.
     */
    public String fingerprint() {
        return format.wireName() + ":" + (startTime == null ? "" : startTime) + ":" + (endTime == null ? "" : endTime)
                + (compression == ExportCompression.NONE ? "" : ":" + compression.wireName());
    }
}
