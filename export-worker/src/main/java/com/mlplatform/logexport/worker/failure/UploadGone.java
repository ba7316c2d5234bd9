package com.mlplatform.logexport.worker.failure;

/** S3 no longer knows the multipart upload (completed by an earlier attempt, or aborted). */
public final class UploadGone extends RuntimeException {

    public UploadGone(Throwable cause) {
        super("multipart upload no longer exists", cause, false, false);
    }
}
