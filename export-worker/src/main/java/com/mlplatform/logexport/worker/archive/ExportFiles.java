package com.mlplatform.logexport.worker.archive;

/**
 * The finished exports' objects, read range by range: {@link S3ExportFiles} in production, an in-memory bucket in
 * tests. One ranged read per chunk holds no connection open across a pause and retries exactly the chunk that
 * failed.
 */
public interface ExportFiles {

    /**
     * @param bytes     the range's bytes
     * @param etag      the object's ETag
     * @param totalSize the whole object's size
     */
    record Range(byte[] bytes, String etag, long totalSize) {
    }

    /**
     * Bytes {@code [offset, offset + length)} of the object at {@code key}. With {@code etag} set, only from that
     * version of the object: a changed or missing object throws {@link com.mlplatform.logexport.worker.failure.JobFailure}.
     */
    Range read(String key, long offset, int length, String etag);
}
