package com.mlplatform.logexport.worker.reconcile;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * The export bucket's open multipart uploads and working objects. Listing uploads needs
 * s3:ListBucketMultipartUploads on the bucket; ListObjectsV2 needs s3:ListBucket.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html">ListMultipartUploads</a>
 */
public final class S3ExportLeftovers implements ExportLeftovers {

    private final S3Client s3;
    private final String bucket;

    public S3ExportLeftovers(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public List<OpenUpload> openUploads(String prefix) {
        List<OpenUpload> uploads = new ArrayList<>();
        s3.listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(prefix)).uploads()
                .forEach(u -> uploads.add(new OpenUpload(u.key(), u.uploadId(), u.initiated())));
        return uploads;
    }

    @Override
    public List<StoredObject> objects(String prefix) {
        List<StoredObject> objects = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()
                .forEach(o -> objects.add(new StoredObject(o.key(), o.lastModified())));
        return objects;
    }

    @Override
    public void abort(OpenUpload upload) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
        } catch (NoSuchUploadException e) {
            // completed or aborted meanwhile: nothing left
        }
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
    }
}
