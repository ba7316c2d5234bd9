package com.mlplatform.logexport.reliability.trial;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What an export left behind in the bucket once it ended: multipart uploads never completed or aborted (each holds
 * its parts, billed, until the lifecycle rule's day is up) and working objects under {@code work/}. Both must be
 * none. Found by the export id in the key, so the count holds whatever the worker's key layout.
 */
public record Leftovers(List<String> incompleteUploads, List<String> workObjects) {

    public static final String WORK_PREFIX = "work/";

    public static Leftovers in(S3Client s3, String bucket, String exportId) {
        List<String> uploads = new ArrayList<>();
        String keyMarker = null;
        String uploadMarker = null;
        while (true) {
            String km = keyMarker;
            String um = uploadMarker;
            var page = s3.listMultipartUploads(r -> r.bucket(bucket).keyMarker(km).uploadIdMarker(um));
            for (MultipartUpload u : page.uploads()) {
                if (exportId == null || u.key().contains(exportId)) {
                    uploads.add(u.key() + " (upload " + u.uploadId() + ")");
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                break;
            }
            keyMarker = page.nextKeyMarker();
            uploadMarker = page.nextUploadIdMarker();
        }
        List<String> work = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(WORK_PREFIX)).contents()) {
            if (exportId == null || o.key().contains(exportId)) {
                work.add(o.key());
            }
        }
        return new Leftovers(List.copyOf(uploads), List.copyOf(work));
    }

    public boolean none() {
        return incompleteUploads.isEmpty() && workObjects.isEmpty();
    }

    @Override
    public String toString() {
        return incompleteUploads.size() + " incomplete multipart upload(s) " + incompleteUploads + ", "
                + workObjects.size() + " work object(s) " + workObjects;
    }
}
