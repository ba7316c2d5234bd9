package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportStatus;

/** What became of one requested training: a new export, an in-flight one handed back, or an error of its own. */
public sealed interface Acceptance {

    String trainingId();

    /** A new QUEUED export whose message is on the queue. */
    record Created(String trainingId, String exportId) implements Acceptance {
    }

    /** The same caller already has this export in flight (in-flight dedupe); nothing new was queued. */
    record Reused(String trainingId, String exportId, ExportStatus status) implements Acceptance {
    }

    /** This training could not be accepted; the rest of a batch is unaffected. */
    record Rejected(String trainingId, ErrorCode code, String message) implements Acceptance {
    }
}
