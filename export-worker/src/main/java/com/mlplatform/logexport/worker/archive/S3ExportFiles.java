package com.mlplatform.logexport.worker.archive;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.worker.failure.AwsFailures;
import com.mlplatform.logexport.worker.failure.JobFailure;
import com.mlplatform.logexport.worker.time.Deadline;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link ExportFiles} on S3: a ranged GetObject per chunk, with {@code If-Match} once the object's ETag is known.
 * A 404 (the object expired) or 412 (it was replaced) ends the archive; throttling and 5xx are retried by the
 * caller's retrier.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html">GetObject: Range, If-Match</a>
 */
public record S3ExportFiles(S3Client s3, String bucket, Deadline deadline) implements ExportFiles {

    private static final Duration MIN_CALL_TIME = Duration.ofSeconds(2);

    @Override
    public Range read(String key, long offset, int length, String etag) {
        try {
            var response = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)
                    .range("bytes=" + offset + "-" + (offset + length - 1)).ifMatch(etag)
                    .overrideConfiguration(o -> o.apiCallTimeout(callTimeout())));
            String contentRange = response.response().contentRange();
            long total = contentRange == null ? response.response().contentLength()
                    : Long.parseLong(contentRange.substring(contentRange.lastIndexOf('/') + 1));
            return new Range(response.asByteArray(), response.response().eTag(), total);
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 412 || e.statusCode() == 416) {
                throw new JobFailure(ErrorCode.NOT_FOUND, "An export file of this batch is no longer available or "
                        + "was replaced while the archive was being built (" + lastSegment(key) + "). Export that "
                        + "training again, then ask for a new batch's archive.");
            }
            AwsFailures.rethrowTransient(e, "s3:GetObject");
            throw e;
        } catch (SdkException e) {
            AwsFailures.rethrowTransient(e, "s3:GetObject");
            throw e;
        }
    }

    private static String lastSegment(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    private Duration callTimeout() {
        Duration left = deadline.remaining();
        return left.compareTo(MIN_CALL_TIME) < 0 ? MIN_CALL_TIME : left;
    }
}
