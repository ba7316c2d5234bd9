package com.mlplatform.logexport.api.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mlplatform.logexport.shared.json.Json;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;

/** The JSON the status routes return. Only the export's own data: never the requester of someone else's export. */
public final class StatusDocument {

    private StatusDocument() {
    }

    public static String statusUrl(String exportId) {
        return "/log-exports/" + exportId;
    }

    /** The full status of one export; {@code link} is set only when it SUCCEEDED. */
    public static ObjectNode of(ExportJob job, DownloadLink link) {
        ObjectNode n = summary(job);
        n.put("usecaseId", job.usecaseId());
        if (job.batchId() != null) {
            n.put("batchId", job.batchId());
        }
        n.set("options", options(job.options()));
        ObjectNode p = n.putObject("progress");
        p.put("streamsTotal", job.progress().streamsTotal());
        p.put("streamsDone", job.progress().streamsDone());
        p.put("events", job.progress().events());
        p.put("bytes", job.progress().bytes());
        if (link != null) {
            ObjectNode d = n.putObject("download");
            d.put("url", link.url());
            d.put("expiresAt", link.expiresAt().toString());
            d.put("filename", link.filename());
            d.put("sizeBytes", link.sizeBytes());
        }
        return n;
    }

    /** What a batch lists for each of its exports. */
    public static ObjectNode summary(ExportJob job) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("exportId", job.exportId());
        n.put("trainingId", job.trainingId());
        n.put("status", job.status().name());
        n.put("createdAt", job.createdAt().toString());
        n.put("updatedAt", job.updatedAt().toString());
        n.put("statusUrl", statusUrl(job.exportId()));
        if (job.error() != null) {
            ObjectNode e = n.putObject("error");
            e.put("code", job.error().code().name());
            e.put("message", job.error().message());
        }
        return n;
    }

    static ObjectNode options(ExportOptions o) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("format", o.format().wireName());
        if (o.startTime() != null) {
            n.put("startTime", o.startTime());
        }
        if (o.endTime() != null) {
            n.put("endTime", o.endTime());
        }
        return n;
    }
}
