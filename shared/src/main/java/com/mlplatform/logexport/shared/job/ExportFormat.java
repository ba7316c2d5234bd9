package com.mlplatform.logexport.shared.job;

import java.util.Optional;

/** The file formats an export can produce. */
public enum ExportFormat {
    TEXT("text", "text/plain; charset=utf-8", "log"),
    JSONL("jsonl", "application/x-ndjson", "jsonl");

    private final String wireName;
    private final String contentType;
    private final String extension;

    ExportFormat(String wireName, String contentType, String extension) {
        this.wireName = wireName;
        this.contentType = contentType;
        this.extension = extension;
    }

    public String wireName() {
        return wireName;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    public static Optional<ExportFormat> fromWire(String value) {
        return WireNames.find(values(), ExportFormat::wireName, value);
    }
}
