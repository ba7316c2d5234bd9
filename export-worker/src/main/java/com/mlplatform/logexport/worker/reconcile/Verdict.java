package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.shared.message.ExportMessage;

/** What the reconciler does with one active export on one run ({@link ReconcileRules#decide}). */
public sealed interface Verdict {

    /** Why: also the name under which the run counts and logs it. */
    enum Reason {
        /** Somebody wrote the job lately, or its worker's lease is live. */
        ALIVE,
        /** Re-driven already; the wait before the next re-drive has not passed. */
        BACKING_OFF,
        /** QUEUED without a write for the grace: its message may never have been sent. */
        QUEUED_SILENT,
        /** RUNNING between two hops without a write for the grace: its continuation may be lost. */
        HOP_SILENT,
        /** RUNNING, its lease expired and no write for stale-after: its worker died. */
        STALLED,
        /** Its worker died more often than the re-drives allow, without durable progress. */
        STALLED_TOO_OFTEN,
        /** Older than the maximum export age. */
        TOO_OLD,
        /** Its checkpoint cannot be read, so it cannot be resumed. */
        UNREADABLE
    }

    Reason reason();

    /** Nothing to send; {@code mark}, when not null, is a changed observation to remember. */
    record Leave(Reason reason, RedriveMark mark) implements Verdict {
    }

    /** Remember {@code mark} (first, so a re-drive is always counted), then send {@code message}. */
    record Redrive(Reason reason, ExportMessage message, RedriveMark mark) implements Verdict {
    }

    /** Clean up the export's leftovers, then record FAILED with {@code userMessage}. */
    record Fail(Reason reason, String userMessage) implements Verdict {
    }
}
