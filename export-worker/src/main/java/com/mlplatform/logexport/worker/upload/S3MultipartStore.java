package com.mlplatform.logexport.worker.upload;

import com.mlplatform.logexport.worker.failure.AwsFailures;
import com.mlplatform.logexport.worker.failure.UploadGone;
import com.mlplatform.logexport.worker.time.Deadline;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The export bucket in the platform account. Objects and working objects are encrypted at rest (SSE-S3). Part
 * ETags are not kept by the worker: {@code ListParts} gives them back at completion, which keeps the job record far
 * below DynamoDB's 400 KB item limit however many parts there are.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html">ListParts</a>
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html">DynamoDB item size limit</a>
 */
public record S3MultipartStore(S3Client s3, String bucket, Deadline deadline) implements MultipartStore {

    private static final Duration MIN_CALL_TIME = Duration.ofSeconds(2);

    @Override
    public String create(String key, ObjectInfo info) {
        return call("s3:PutObject", () -> s3.createMultipartUpload(r -> r.bucket(bucket).key(key)
                .contentType(info.contentType())
                .contentDisposition(info.contentDisposition())
                .metadata(info.metadata())
                .serverSideEncryption(ServerSideEncryption.AES256)
                .overrideConfiguration(o -> o.apiCallTimeout(callTimeout()))).uploadId());
    }

    @Override
    public void uploadPart(String key, String uploadId, int partNumber, List<ByteSlice> body) {
        long length = ByteSlice.totalLength(body);
        call("s3:PutObject", () -> s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(partNumber).contentLength(length)
                        .overrideConfiguration(o -> o.apiCallTimeout(callTimeout())),
                RequestBody.fromContentProvider(() -> stream(body), length, "application/octet-stream")));
    }

    @Override
    public long complete(String key, String uploadId, int lastPartNumber) {
        List<Part> parts = listParts(key, uploadId);
        List<CompletedPart> completed = new ArrayList<>(lastPartNumber);
        long size = 0;
        for (Part p : parts) {
            if (p.partNumber() <= lastPartNumber) {
                // Parts above lastPartNumber can only be leftovers of an attempt that crashed; S3 drops them.
                completed.add(CompletedPart.builder().partNumber(p.partNumber()).eTag(p.eTag())
                        .checksumCRC32(p.checksumCRC32()).build());
                size += p.size();
            }
        }
        if (completed.size() != lastPartNumber) {
            throw new IllegalStateException("upload has " + completed.size() + " of " + lastPartNumber + " parts");
        }
        call("s3:PutObject", () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed))
                .overrideConfiguration(o -> o.apiCallTimeout(callTimeout()))));
        return size;
    }

    private List<Part> listParts(String key, String uploadId) {
        List<Part> parts = new ArrayList<>();
        Integer marker = null;
        while (true) {
            Integer from = marker;
            ListPartsResponse page = call("s3:ListMultipartUploadParts", () -> s3.listParts(r -> r.bucket(bucket)
                    .key(key).uploadId(uploadId).maxParts(1000).partNumberMarker(from)
                    .overrideConfiguration(o -> o.apiCallTimeout(callTimeout()))));
            parts.addAll(page.parts());
            if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextPartNumberMarker() == null
                    || page.nextPartNumberMarker().equals(from)) {
                break;
            }
            marker = page.nextPartNumberMarker();
        }
        parts.sort((a, b) -> Integer.compare(a.partNumber(), b.partNumber()));
        return parts;
    }

    @Override
    public boolean isOpen(String key, String uploadId) {
        try {
            call("s3:ListMultipartUploadParts", () -> s3.listParts(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .maxParts(1).overrideConfiguration(o -> o.apiCallTimeout(callTimeout()))));
            return true;
        } catch (UploadGone e) {
            return false;
        }
    }

    /** @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html">ListMultipartUploads</a> */
    @Override
    public List<OpenUpload> openUploads(String prefix) {
        List<OpenUpload> uploads = new ArrayList<>();
        call("s3:ListBucketMultipartUploads", () -> {
            s3.listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(prefix)
                            .overrideConfiguration(o -> o.apiCallTimeout(callTimeout()))).uploads()
                    .forEach(u -> uploads.add(new OpenUpload(u.key(), u.uploadId())));
            return uploads;
        });
        return uploads;
    }

    @Override
    public List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        call("s3:ListBucket", () -> {
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)
                            .overrideConfiguration(o -> o.apiCallTimeout(callTimeout()))).contents()
                    .forEach(o -> keys.add(o.key()));
            return keys;
        });
        return keys;
    }

    @Override
    public void abort(String key, String uploadId) {
        try {
            call("s3:AbortMultipartUpload", () -> s3.abortMultipartUpload(r -> r.bucket(bucket).key(key)
                    .uploadId(uploadId).overrideConfiguration(o -> o.apiCallTimeout(callTimeout()))));
        } catch (UploadGone e) {
            // already aborted or completed: nothing left to clean up
        }
    }

    @Override
    public OptionalLong size(String key) {
        try {
            return OptionalLong.of(call("s3:GetObject", () -> s3.headObject(r -> r.bucket(bucket).key(key)
                    .overrideConfiguration(o -> o.apiCallTimeout(callTimeout())))).contentLength());
        } catch (NoSuchKeyException e) {
            return OptionalLong.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return OptionalLong.empty();
            }
            throw e;
        }
    }

    @Override
    public String putStash(String key, List<ByteSlice> body) {
        long length = ByteSlice.totalLength(body);
        return call("s3:PutObject", () -> s3.putObject(r -> r.bucket(bucket).key(key).contentLength(length)
                        .serverSideEncryption(ServerSideEncryption.AES256)
                        .overrideConfiguration(o -> o.apiCallTimeout(callTimeout())),
                RequestBody.fromContentProvider(() -> stream(body), length, "application/octet-stream"))).eTag();
    }

    @Override
    public byte[] getStash(String key, String etag) {
        return call("s3:GetObject", () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(key).ifMatch(etag)
                .overrideConfiguration(o -> o.apiCallTimeout(callTimeout())))).asByteArray();
    }

    @Override
    public void delete(String key) {
        call("s3:DeleteObject", () -> s3.deleteObject(r -> r.bucket(bucket).key(key)
                .overrideConfiguration(o -> o.apiCallTimeout(callTimeout()))));
    }

    private static InputStream stream(List<ByteSlice> body) {
        List<InputStream> streams = new ArrayList<>(body.size());
        for (ByteSlice s : body) {
            streams.add(new ByteArrayInputStream(s.array(), s.offset(), s.length()));
        }
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    private Duration callTimeout() {
        Duration left = deadline.remaining();
        return left.compareTo(MIN_CALL_TIME) < 0 ? MIN_CALL_TIME : left;
    }

    private <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (NoSuchUploadException e) {
            throw new UploadGone(e);
        } catch (NoSuchKeyException e) {
            throw e;
        } catch (SdkException e) {
            if (e instanceof S3Exception s3e && s3e.statusCode() == 404 && operation.equals("s3:GetObject")) {
                throw s3e;
            }
            AwsFailures.rethrowTransient(e, operation);
            throw e;
        }
    }
}
