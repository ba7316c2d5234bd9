package com.mlplatform.logexport.api.download;

import com.mlplatform.logexport.shared.job.ExportResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Mints a fresh presigned GetObject URL on every status request, so a link is never older than the page showing
 * it. {@code response-content-disposition} makes the browser save the file under the export's filename.
 *
 * <p>A URL signed with the Lambda role's temporary credentials stops working when those credentials expire, even
 * if its own expiry is later; with a 15-minute default that rarely matters, and the next poll mints a new one.
 */
public final class DownloadLinks {

    private final S3Presigner presigner;
    private final Duration ttl;
    private final Clock clock;

    public DownloadLinks(S3Presigner presigner, Duration ttl, Clock clock) {
        this.presigner = presigner;
        this.ttl = ttl;
        this.clock = clock;
    }

    public DownloadLink mint(ExportResult result) {
        Instant now = clock.instant();
        var presigned = presigner.presignGetObject(p -> p
                .signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(result.bucket()).key(result.key())
                        .responseContentDisposition(ContentDisposition.attachment(result.filename()))
                        .responseContentType(result.contentType())));
        return new DownloadLink(presigned.url().toString(), now.plus(ttl), result.filename(), result.sizeBytes());
    }
}
