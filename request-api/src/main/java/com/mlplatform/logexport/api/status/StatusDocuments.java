package com.mlplatform.logexport.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.mlplatform.logexport.api.accept.AcceptReplies;
import com.mlplatform.logexport.api.accept.AcceptReplies.Item;
import com.mlplatform.logexport.api.download.DownloadLink;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.Progress;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON records the status routes return. Absent parts (no batch, no error, no download yet) are left out. The
 * full document names the requester, as the file's header does: whoever may see an export (any current member of
 * its use case) sees who asked for it (README, "Who sees what").
 */
public final class StatusDocuments {

    private StatusDocuments() {
    }

    /** The full status of one export; {@code download} is set only when it SUCCEEDED. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExportDocument(String exportId, String trainingId, String status, String createdAt,
                                 String updatedAt, String statusUrl, JobErrorPart error, String usecaseId,
                                 String requestedBy, String batchId, OptionsPart options, ProgressPart progress,
                                 DownloadPart download) {

        public static ExportDocument of(ExportJob job, DownloadLink link) {
            ExportSummary s = ExportSummary.of(job);
            return new ExportDocument(s.exportId(), s.trainingId(), s.status(), s.createdAt(), s.updatedAt(),
                    s.statusUrl(), s.error(), job.usecaseId(), job.requestedBy(), job.batchId(),
                    OptionsPart.of(job.options()),
                    ProgressPart.of(job.progress()), link == null ? null : new DownloadPart(link.url(), link.expiresAt().toString(),
                    link.filename(), link.sizeBytes()));
        }
    }

    /** What a batch lists for each of its exports. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExportSummary(String exportId, String trainingId, String status, String createdAt,
                                String updatedAt, String statusUrl, JobErrorPart error) {

        public static ExportSummary of(ExportJob job) {
            return new ExportSummary(job.exportId(), job.trainingId(), job.status().name(),
                    job.createdAt().toString(), job.updatedAt().toString(), AcceptReplies.statusUrl(job.exportId()),
                    job.error() == null ? null : new JobErrorPart(job.error().code().name(), job.error().message()));
        }
    }

    /**
     * A batch: its exports (created or joined) sorted by training id, their count ({@code total}) and counts by
     * status (every status, zeros included); how many ids were requested, and the items that got an error.
     */
    public record BatchDocument(String batchId, String usecaseId, int total, int requested,
                                Map<String, Integer> counts, List<ExportSummary> exports, List<Item> errors,
                                @JsonInclude(JsonInclude.Include.NON_NULL) ArchivePart archive) {

        /**
         * @param jobs    sorted
         * @param archive the batch's archive, null when none was asked for
         */
        public static BatchDocument of(String batchId, String usecaseId, int requested, List<ExportJob> jobs,
                                       List<Item> errors, ArchivePart archive) {
            Map<ExportStatus, Integer> byStatus = new EnumMap<>(ExportStatus.class);
            for (ExportStatus s : ExportStatus.values()) {
                byStatus.put(s, 0);
            }
            jobs.forEach(j -> byStatus.merge(j.status(), 1, Integer::sum));
            Map<String, Integer> counts = new LinkedHashMap<>();
            byStatus.forEach((s, n) -> counts.put(s.name(), n));
            return new BatchDocument(batchId, usecaseId, jobs.size(), requested, counts,
                    jobs.stream().map(ExportSummary::of).toList(), errors, archive);
        }
    }

    /**
     * A batch's archive (docs/api.md, "Batch archive"): its state, how far it got, and once SUCCEEDED a freshly
     * minted link. The archive job's progress fields count entries (the manifest included) and archive bytes.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ArchivePart(String status, String createdAt, String updatedAt, ArchiveProgressPart progress,
                              JobErrorPart error, DownloadPart download) {

        /** @param link set only when the archive SUCCEEDED */
        public static ArchivePart of(ExportJob archive, DownloadLink link) {
            Progress p = archive.progress();
            return new ArchivePart(archive.status().name(), archive.createdAt().toString(),
                    archive.updatedAt().toString(),
                    new ArchiveProgressPart(p.streamsTotal(), p.streamsDone(), p.bytes()),
                    archive.error() == null ? null
                            : new JobErrorPart(archive.error().code().name(), archive.error().message()),
                    link == null ? null : new DownloadPart(link.url(), link.expiresAt().toString(), link.filename(),
                            link.sizeBytes()));
        }
    }

    /** Entries written of all (the manifest counts as one), and the archive's bytes so far. */
    public record ArchiveProgressPart(int entriesTotal, int entriesDone, long bytes) {
    }

    public record JobErrorPart(String code, String message) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OptionsPart(String format, Long startTime, Long endTime, String compression) {

        /** {@code compression} only when the file is compressed, so plain exports' documents are unchanged. */
        static OptionsPart of(ExportOptions o) {
            return new OptionsPart(o.format().wireName(), o.startTime(), o.endTime(),
                    o.compression() == ExportCompression.NONE ? null : o.compression().wireName());
        }
    }

    public record ProgressPart(int streamsTotal, int streamsDone, long events, long bytes) {

        static ProgressPart of(Progress p) {
            return new ProgressPart(p.streamsTotal(), p.streamsDone(), p.events(), p.bytes());
        }
    }

    public record DownloadPart(String url, String expiresAt, String filename, long sizeBytes) {
    }
}
