package com.mlplatform.logexport.shared.job;

import java.util.Objects;

/** Where a SUCCEEDED export's file lives. {@code filename} is what the browser saves it as. */
public record ExportResult(String bucket, String key, String filename, String contentType, long sizeBytes) {
    public ExportResult {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(contentType, "contentType");
    }
}
