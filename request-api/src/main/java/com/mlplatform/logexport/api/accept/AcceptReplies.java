package com.mlplatform.logexport.api.accept;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.mlplatform.logexport.api.http.Reply;
import com.mlplatform.logexport.shared.job.ExportStatus;
import java.util.List;

/** The JSON records of the accept routes. */
public final class AcceptReplies {

    private AcceptReplies() {
    }

    public static String statusUrl(String exportId) {
        return "/log-exports/" + exportId;
    }

    public static String batchUrl(String batchId) {
        return "/log-export-batches/" + batchId;
    }

    /** 202 for one export, new or handed back. */
    public record ExportAccepted(String exportId, String status, String statusUrl) {

        public static Reply reply(String exportId, ExportStatus status) {
            String url = AcceptReplies.statusUrl(exportId);
            return Reply.of(202, new ExportAccepted(exportId, status.name(), url)).withHeader("Location", url);
        }
    }

    /** 202 for a batch: one item per requested id, in request order. */
    public record BatchAccepted(String batchId, String statusUrl, List<Item> exports) {
    }

    /** An item of a batch: an export, or an error of its own. {@code trainingId} is null for a non-string id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(@JsonInclude(JsonInclude.Include.ALWAYS) String trainingId, String exportId, String status,
                       ItemError error) {
    }

    public record ItemError(String code, String message) {
    }
}
