package com.mlplatform.logexport.worker.upload;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The S3 operations the streaming upload needs: {@link S3MultipartStore} in production, an in-memory store with
 * S3's part-size rules in unit and property tests.
 */
public interface MultipartStore {

    /** Headers the finished object is served with. */
    record ObjectInfo(String contentType, String contentDisposition, Map<String, String> metadata) {
    }

    /** Starts a multipart upload (server-side encrypted); returns its id. Nothing is visible at {@code key} yet. */
    String create(String key, ObjectInfo info);

    /** Uploads (or replaces) one part. Parts other than the last must be at least 5 MiB. */
    void uploadPart(String key, String uploadId, int partNumber, List<ByteSlice> body);

    /** Assembles parts 1..{@code lastPartNumber}; the object appears at {@code key}. Returns its size. */
    long complete(String key, String uploadId, int lastPartNumber);

    /** An incomplete multipart upload. */
    record OpenUpload(String key, String uploadId) {
    }

    /**
     * Whether the upload still accepts parts: false once it was completed or aborted. A completed upload is no
     * longer listed (ListParts answers NoSuchUpload).
     */
    boolean isOpen(String key, String uploadId);

    /** The incomplete multipart uploads whose keys start with {@code prefix}. */
    List<OpenUpload> openUploads(String prefix);

    /** The keys of the objects under {@code prefix}. */
    List<String> keys(String prefix);

    /** Discards the upload and its parts. */
    void abort(String key, String uploadId);

    /** The size of the object at {@code key}, if one exists. */
    OptionalLong size(String key);

    /** Writes a small working object (the checkpoint's unfinished part); returns its ETag. */
    String putStash(String key, List<ByteSlice> body);

    /** Reads a working object back, refusing any other version than {@code etag}. */
    byte[] getStash(String key, String etag);

    void delete(String key);
}
