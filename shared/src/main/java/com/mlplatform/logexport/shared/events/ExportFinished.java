package com.mlplatform.logexport.shared.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import com.mlplatform.logexport.shared.json.Json;
import java.time.Instant;
import java.util.Objects;

/**
 * The completion event of one export: what another system needs to act on a finished export, and nothing more.
 * Never a download URL (those expire and are minted per caller) and never the requester's identity.
 *
 * @param eventId    {@code <exportId>:<status>}: an export reaches exactly one terminal state, so this is unique per
 *                   export, and a re-published event (redelivery) carries the same id, for consumers to dedupe on
 * @param errorCode  the {@code ErrorCode} name when FAILED, else null
 * @param sizeBytes  the object's size when SUCCEEDED, else null
 * @param eventCount log events written (for FAILED and CANCELLED, those written before the end)
 * @param batchId    the batch the export belongs to, or null
 */
public record ExportFinished(String eventId, String exportId, String usecaseId, String trainingId,
                             ExportStatus status, String errorCode, Long sizeBytes, long eventCount, String batchId,
                             Instant finishedAt) {

    /** The {@code source} of every completion event on the bus. */
    public static final String SOURCE = "mlplatform.log-export";
    /** The {@code detail-type} of every completion event on the bus. */
    public static final String DETAIL_TYPE = "Log Export Finished";

    public ExportFinished {
        Objects.requireNonNull(exportId, "exportId");
        Objects.requireNonNull(usecaseId, "usecaseId");
        Objects.requireNonNull(trainingId, "trainingId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(finishedAt, "finishedAt");
        if (!status.isFinished()) {
            throw new IllegalArgumentException("not a terminal state: " + status);
        }
        if (!eventId(exportId, status).equals(eventId)) {
            throw new IllegalArgumentException("eventId must be " + eventId(exportId, status));
        }
    }

    /** The event of a job record that is already in its terminal state (as its writer stored it). */
    public static ExportFinished of(ExportJob finished) {
        return of(finished, finished.status(), finished.error(), finished.updatedAt());
    }

    /**
     * The event of {@code job} moved to {@code status}, for writers that changed the record without reading it back
     * (a cancel, the reconciler's fail).
     */
    public static ExportFinished of(ExportJob job, ExportStatus status, JobError error, Instant at) {
        Long size = status == ExportStatus.SUCCEEDED && job.result() != null ? job.result().sizeBytes() : null;
        return new ExportFinished(eventId(job.exportId(), status), job.exportId(), job.usecaseId(), job.trainingId(),
                status, error == null ? null : error.code().name(), size, job.progress().events(), job.batchId(), at);
    }

    public static String eventId(String exportId, ExportStatus status) {
        return exportId + ":" + status.name();
    }

    /** The event's {@code detail}: a JSON object with every field, null ones included, so the shape never varies. */
    public String detailJson() {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("eventId", eventId);
        d.put("exportId", exportId);
        d.put("usecaseId", usecaseId);
        d.put("trainingId", trainingId);
        d.put("status", status.name());
        d.put("errorCode", errorCode);
        d.put("sizeBytes", sizeBytes);
        d.put("eventCount", eventCount);
        d.put("batchId", batchId);
        d.put("finishedAt", finishedAt.toString());
        return d.toString();
    }
}
