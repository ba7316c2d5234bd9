package com.mlplatform.logexport.worker.testing;

import com.mlplatform.logexport.worker.failure.UploadGone;
import com.mlplatform.logexport.worker.upload.ByteSlice;
import com.mlplatform.logexport.worker.upload.MultipartStore;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * S3's multipart rules in memory: every part but the last must be at least {@code minPart} bytes, parts are
 * ordered by number, the object appears only on completion, aborted or completed uploads accept no more parts.
 * Also records the most bytes any single part held, for memory assertions.
 */
public final class InMemoryMultipartStore implements MultipartStore {

    private record Upload(String key, ObjectInfo info, TreeMap<Integer, byte[]> parts) {
    }

    private final long minPart;
    private final Map<String, Upload> uploads = new HashMap<>();
    private final Map<String, byte[]> objects = new HashMap<>();
    private final Map<String, ObjectInfo> objectInfo = new HashMap<>();
    private final Map<String, List<byte[]>> objectParts = new HashMap<>();
    private final Map<String, byte[]> stash = new HashMap<>();
    private final Map<String, String> stashEtags = new HashMap<>();
    private int ids;
    private int creates;
    private int aborts;
    private long largestPart;
    private IntConsumer beforeUploadPart = n -> { };
    private java.util.function.Consumer<String> afterCall = op -> { };

    public InMemoryMultipartStore(long minPart) {
        this.minPart = minPart;
    }

    /** Runs before each part upload with the part number; may throw to inject a fault. */
    public InMemoryMultipartStore beforeUploadPart(IntConsumer hook) {
        this.beforeUploadPart = hook;
        return this;
    }

    /**
     * Runs after each create, complete, putStash and delete has taken effect, with the operation's name; may throw
     * (an {@link Error}, to play a crash that no clean-up code catches).
     */
    public InMemoryMultipartStore afterCall(java.util.function.Consumer<String> hook) {
        this.afterCall = hook;
        return this;
    }

    @Override
    public synchronized String create(String key, ObjectInfo info) {
        String id = "upload-" + (++ids);
        uploads.put(id, new Upload(key, info, new TreeMap<>()));
        creates++;
        afterCall.accept("create");
        return id;
    }

    @Override
    public synchronized void uploadPart(String key, String uploadId, int partNumber, List<ByteSlice> body) {
        beforeUploadPart.accept(partNumber);
        Upload u = uploads.get(uploadId);
        if (u == null) {
            throw new UploadGone(null);
        }
        if (partNumber < 1 || partNumber > 10_000) {
            throw new IllegalArgumentException("part number " + partNumber);
        }
        byte[] bytes = concat(body);
        largestPart = Math.max(largestPart, bytes.length);
        u.parts().put(partNumber, bytes);
    }

    @Override
    public synchronized long complete(String key, String uploadId, int lastPartNumber) {
        Upload u = uploads.get(uploadId);
        if (u == null) {
            throw new UploadGone(null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> parts = new ArrayList<>(lastPartNumber);
        for (int n = 1; n <= lastPartNumber; n++) {
            byte[] part = u.parts().get(n);
            if (part == null) {
                throw new IllegalStateException("InvalidPart: part " + n + " missing");
            }
            if (n < lastPartNumber && part.length < minPart) {
                throw new IllegalStateException("EntityTooSmall: part " + n + " has " + part.length + " bytes");
            }
            out.writeBytes(part);
            parts.add(part);
        }
        objects.put(key, out.toByteArray());
        objectParts.put(key, List.copyOf(parts));
        objectInfo.put(key, u.info());
        uploads.remove(uploadId);
        afterCall.accept("complete");
        return out.size();
    }

    @Override
    public synchronized boolean isOpen(String key, String uploadId) {
        return uploads.containsKey(uploadId);
    }

    @Override
    public synchronized List<OpenUpload> openUploads(String prefix) {
        return uploads.entrySet().stream().filter(e -> e.getValue().key().startsWith(prefix))
                .map(e -> new OpenUpload(e.getValue().key(), e.getKey())).toList();
    }

    @Override
    public synchronized List<String> keys(String prefix) {
        return java.util.stream.Stream.concat(objects.keySet().stream(), stash.keySet().stream())
                .filter(k -> k.startsWith(prefix)).sorted().toList();
    }

    @Override
    public synchronized void abort(String key, String uploadId) {
        if (uploads.remove(uploadId) != null) {
            aborts++;
        }
    }

    @Override
    public synchronized OptionalLong size(String key) {
        byte[] o = objects.get(key);
        return o == null ? OptionalLong.empty() : OptionalLong.of(o.length);
    }

    @Override
    public synchronized String putStash(String key, List<ByteSlice> body) {
        byte[] bytes = concat(body);
        stash.put(key, bytes);
        String etag = "\"" + Integer.toHexString(java.util.Arrays.hashCode(bytes)) + "-" + (++ids) + "\"";
        stashEtags.put(key, etag);
        afterCall.accept("putStash");
        return etag;
    }

    @Override
    public synchronized byte[] getStash(String key, String etag) {
        if (!etag.equals(stashEtags.get(key))) {
            throw new IllegalStateException("PreconditionFailed: stash " + key);
        }
        return stash.get(key).clone();
    }

    @Override
    public synchronized void delete(String key) {
        stash.remove(key);
        stashEtags.remove(key);
        objects.remove(key);
        afterCall.accept("delete");
    }

    public synchronized byte[] object(String key) {
        return objects.get(key);
    }

    /** The parts the object at {@code key} was assembled from, in order. */
    public synchronized List<byte[]> parts(String key) {
        return objectParts.get(key);
    }

    public synchronized ObjectInfo info(String key) {
        return objectInfo.get(key);
    }

    public synchronized int openUploads() {
        return uploads.size();
    }

    public synchronized int stashCount() {
        return stash.size();
    }

    public synchronized int creates() {
        return creates;
    }

    public synchronized int aborts() {
        return aborts;
    }

    public synchronized long largestPart() {
        return largestPart;
    }

    private static byte[] concat(List<ByteSlice> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteSlice s : body) {
            out.write(s.array(), s.offset(), s.length());
        }
        return out.toByteArray();
    }
}
