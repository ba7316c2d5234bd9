package com.mlplatform.logexport.worker.format;

import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.worker.logs.LogEvent;
import java.io.IOException;
import java.io.OutputStream;

/**
 * How an export file is laid out. The body is written event by event while merging; the header only at the end,
 * because it states counts and the time range covered.
 */
public sealed interface LogFileFormat permits TextLogFormat, JsonLinesLogFormat {

    static LogFileFormat of(ExportFormat format) {
        return switch (format) {
            case TEXT -> new TextLogFormat();
            case JSONL -> new JsonLinesLogFormat();
        };
    }

    /** Per-stream constants (encoded host label, stream name), prepared once per stream. */
    interface StreamStyle {
    }

    StreamStyle styleFor(String stream, String label);

    void writeEvent(StreamStyle style, LogEvent event, OutputStream out) throws IOException;

    byte[] header(ExportSummary summary);

    byte[] footer(ExportSummary summary);
}
