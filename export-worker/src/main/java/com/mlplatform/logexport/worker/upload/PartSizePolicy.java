package com.mlplatform.logexport.worker.upload;

/**
 * Part sizes of the streaming upload. S3 allows at most 10,000 parts of 5 MiB to 5 GiB (the last part may be
 * smaller) and objects up to 5 TiB. We do not know the export's size in advance, so the part size starts at
 * {@code baseBytes} and doubles every 500 parts, capped at 5 GiB: with the 5 MiB minimum base the 10,000 parts hold
 * about 27 TiB, far beyond S3's 5 TiB object limit, while an export below 2.5 GB never buffers more than one base
 * part. See {@code PartSizePolicyTest}.
 *
 * @param minimumBytes the smallest part the store accepts (S3: 5 MiB); only in-memory tests use a smaller one
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html">Amazon S3 multipart upload limits</a>
 */
public record PartSizePolicy(long baseBytes, long minimumBytes) {

    public static final long MIB = 1024L * 1024;
    public static final long S3_MIN_PART = 5 * MIB;
    public static final long MAX_PART = 5 * 1024 * MIB;
    public static final int MAX_PARTS = 10_000;
    public static final long MAX_OBJECT = 5L * 1024 * 1024 * MIB;
    static final int DOUBLING_EVERY = 500;

    public PartSizePolicy {
        if (minimumBytes < 1 || baseBytes < minimumBytes || baseBytes > MAX_PART) {
            throw new IllegalArgumentException("part size must be between " + minimumBytes + " bytes and 5 GiB: "
                    + baseBytes);
        }
    }

    /** The policy for S3: parts start at {@code baseBytes}, which must be at least 5 MiB. */
    public static PartSizePolicy forS3(long baseBytes) {
        return new PartSizePolicy(baseBytes, S3_MIN_PART);
    }

    /** The size part {@code partNumber} (1-based) is cut at; it may exceed this by less than one event. */
    public long sizeOf(int partNumber) {
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw new IllegalArgumentException("part number out of range: " + partNumber);
        }
        int doublings = (partNumber - 1) / DOUBLING_EVERY;
        if (doublings >= 30) {
            return MAX_PART;
        }
        return Math.min(MAX_PART, baseBytes << doublings);
    }

    /** The most body bytes 10,000 parts can hold. */
    public long capacity() {
        long total = 0;
        for (int n = 1; n <= MAX_PARTS; n++) {
            total += sizeOf(n);
        }
        return total;
    }
}
