package com.mlplatform.logexport.worker.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Open uploads and stored objects of the export bucket, in memory; can be told to fail like an unreachable S3. */
final class InMemoryBucket implements ExportLeftovers {

    private final Map<String, OpenUpload> uploads = new LinkedHashMap<>();
    private final Map<String, StoredObject> objects = new LinkedHashMap<>();
    private boolean unavailable;

    void openUpload(String key, String uploadId, Instant initiated) {
        uploads.put(uploadId, new OpenUpload(key, uploadId, initiated));
    }

    void putObject(String key, Instant lastModified) {
        objects.put(key, new StoredObject(key, lastModified));
    }

    void unavailable(boolean down) {
        this.unavailable = down;
    }

    List<OpenUpload> uploads() {
        return List.copyOf(uploads.values());
    }

    List<String> keys() {
        return List.copyOf(objects.keySet());
    }

    @Override
    public List<OpenUpload> openUploads(String prefix) {
        check();
        List<OpenUpload> found = new ArrayList<>();
        uploads.values().stream().filter(u -> u.key().startsWith(prefix)).forEach(found::add);
        return found;
    }

    @Override
    public List<StoredObject> objects(String prefix) {
        check();
        List<StoredObject> found = new ArrayList<>();
        objects.values().stream().filter(o -> o.key().startsWith(prefix)).forEach(found::add);
        return found;
    }

    @Override
    public void abort(OpenUpload upload) {
        check();
        uploads.remove(upload.uploadId());
    }

    @Override
    public void delete(String key) {
        check();
        objects.remove(key);
    }

    private void check() {
        if (unavailable) {
            throw new IllegalStateException("S3 unavailable (test)");
        }
    }
}
