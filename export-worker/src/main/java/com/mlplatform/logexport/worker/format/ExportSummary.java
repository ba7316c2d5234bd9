package com.mlplatform.logexport.worker.format;

import java.time.Instant;
import java.util.List;

/**
 * What the file's header and closing line say about an export. Known in full only when the merge has finished,
 * which is why the header is written last (into part 1 of the upload; see {@code MultipartWriter}).
 *
 * @param firstEvent timestamp of the earliest event written, null when none
 * @param lastEvent  timestamp of the latest event written, null when none
 */
public record ExportSummary(
        String trainingId,
        String usecaseId,
        String exportId,
        String requestedBy,
        Instant generatedAt,
        Long requestedStart,
        Long requestedEnd,
        Long firstEvent,
        Long lastEvent,
        List<StreamCount> streams) {

    public record StreamCount(String stream, String label, long events) {
    }

    public ExportSummary {
        streams = List.copyOf(streams);
    }

    public long totalEvents() {
        return streams.stream().mapToLong(StreamCount::events).sum();
    }
}
