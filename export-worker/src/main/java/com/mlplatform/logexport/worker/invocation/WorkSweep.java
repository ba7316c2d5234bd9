package com.mlplatform.logexport.worker.invocation;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.worker.failure.Retrier;
import com.mlplatform.logexport.worker.upload.MultipartStore;

/**
 * Removes what an export's attempts left in the bucket: its incomplete uploads and its working objects. Besides the
 * checkpoint's upload there can be others nobody recorded: one created by an attempt that died before saving its
 * id, or a second one from the SDK retrying a CreateMultipartUpload whose response was lost. Best effort: the
 * reconciler's sweep and the bucket's lifecycle rule are the backstops.
 */
public record WorkSweep(ExportJob job, MultipartStore store, Retrier retrier) {

    /** Aborts the checkpoint's upload (if any) and everything else the export left. */
    public void cleanUp(String uploadId, String key) {
        if (uploadId != null) {
            bestEffort(() -> store.abort(key, uploadId));
        }
        removeLeftovers();
    }

    /** Aborts every incomplete upload under the export's own prefix and deletes all its working objects. */
    public void removeLeftovers() {
        bestEffort(() -> {
            for (MultipartStore.OpenUpload upload : store.openUploads(
                    ExportKeys.exportPrefix(job.usecaseId(), job.exportId()))) {
                store.abort(upload.key(), upload.uploadId());
            }
        });
        deleteWorkObjectsBut(null);
    }

    /** Deletes the export's working objects but {@code keep} (null: all). */
    public void deleteWorkObjectsBut(String keep) {
        bestEffort(() -> {
            for (String key : store.keys(ExportKeys.workPrefix(job.usecaseId(), job.exportId()))) {
                if (!key.equals(keep)) {
                    store.delete(key);
                }
            }
        });
    }

    private void bestEffort(Runnable cleanUp) {
        try {
            retrier.run(cleanUp);
        } catch (RuntimeException ignored) {
            // the reconciler's sweep and the lifecycle rule are the backstop
        }
    }
}
