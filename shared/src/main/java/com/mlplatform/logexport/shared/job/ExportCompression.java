package com.mlplatform.logexport.shared.job;

import java.util.Optional;

/**
 * Whether the export file is compressed. A gzip file is served as {@code application/gzip} and named
 * {@code ….gz}; it is not marked {@code Content-Encoding: gzip}, which would make browsers decompress it on the fly
 * and save plain bytes under a {@code .gz} name.
 */
public enum ExportCompression {
    NONE("none", ""),
    GZIP("gzip", ".gz");

    public static final String GZIP_CONTENT_TYPE = "application/gzip";

    private final String wireName;
    private final String suffix;

    ExportCompression(String wireName, String suffix) {
        this.wireName = wireName;
        this.suffix = suffix;
    }

    public String wireName() {
        return wireName;
    }

    /** Appended to the format's extension: {@code .log.gz}. */
    public String suffix() {
        return suffix;
    }

    /** The object's Content-Type for a file of {@code format}. */
    public String contentType(ExportFormat format) {
        return this == GZIP ? GZIP_CONTENT_TYPE : format.contentType();
    }

    public static Optional<ExportCompression> fromWire(String value) {
        return WireNames.find(values(), ExportCompression::wireName, value);
    }
}
