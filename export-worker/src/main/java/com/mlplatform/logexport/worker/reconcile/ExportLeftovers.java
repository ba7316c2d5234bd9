package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.worker.invocation.ExportKeys;
import java.time.Instant;
import java.util.List;

/**
 * What an export can leave in the bucket: an open multipart upload under {@code exports/} and a working object
 * under {@code work/} (see {@link ExportKeys}). {@link S3ExportLeftovers} in production.
 */
public interface ExportLeftovers {

    record OpenUpload(String key, String uploadId, Instant initiated) {
    }

    record StoredObject(String key, Instant lastModified) {
    }

    List<OpenUpload> openUploads(String prefix);

    List<StoredObject> objects(String prefix);

    /** Discards the upload and its parts; nothing happens if it is already gone. */
    void abort(OpenUpload upload);

    void delete(String key);
}
