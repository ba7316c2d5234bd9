package com.mlplatform.logexport.worker.bench;

import com.mlplatform.logexport.worker.upload.ByteSlice;
import com.mlplatform.logexport.worker.upload.MultipartStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/** S3's multipart rules without keeping the bytes: part sizes are checked and counted, content is dropped. */
final class DiscardingStore implements MultipartStore {

    private final long minPart;
    private final TreeMap<Integer, Long> parts = new TreeMap<>();
    private final Map<String, byte[]> stash = new HashMap<>();
    long objectSize = -1;
    long largestPart;
    long partsUploaded;

    DiscardingStore(long minPart) {
        this.minPart = minPart;
    }

    @Override
    public String create(String key, ObjectInfo info) {
        return "bench-upload";
    }

    @Override
    public void uploadPart(String key, String uploadId, int partNumber, List<ByteSlice> body) {
        long n = ByteSlice.totalLength(body);
        parts.put(partNumber, n);
        largestPart = Math.max(largestPart, n);
        partsUploaded++;
    }

    @Override
    public long complete(String key, String uploadId, int lastPartNumber) {
        long total = 0;
        for (int p = 1; p <= lastPartNumber; p++) {
            Long size = parts.get(p);
            if (size == null || (p < lastPartNumber && size < minPart)) {
                throw new IllegalStateException("part " + p + " missing or too small: " + size);
            }
            total += size;
        }
        objectSize = total;
        return total;
    }

    @Override
    public boolean isOpen(String key, String uploadId) {
        return true; // the benchmark never resumes an export whose upload was completed
    }

    @Override
    public List<OpenUpload> openUploads(String prefix) {
        return List.of();
    }

    @Override
    public List<String> keys(String prefix) {
        return stash.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    @Override
    public void abort(String key, String uploadId) {
        parts.clear();
    }

    @Override
    public OptionalLong size(String key) {
        return objectSize < 0 ? OptionalLong.empty() : OptionalLong.of(objectSize);
    }

    @Override
    public String putStash(String key, List<ByteSlice> body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        body.forEach(s -> out.write(s.array(), s.offset(), s.length()));
        stash.put(key, out.toByteArray());
        return "\"stash\"";
    }

    @Override
    public byte[] getStash(String key, String etag) {
        return stash.get(key);
    }

    @Override
    public void delete(String key) {
        stash.remove(key);
    }

    int partCount() {
        return parts.size();
    }
}
