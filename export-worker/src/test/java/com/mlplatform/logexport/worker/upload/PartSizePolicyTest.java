package com.mlplatform.logexport.worker.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartSizePolicyTest {

    @Test
    void tenThousandParts_coverS3sLargestObject_evenFromTheMinimumPartSize() {
        PartSizePolicy policy = PartSizePolicy.forS3(PartSizePolicy.S3_MIN_PART);
        assertThat(policy.capacity()).isGreaterThanOrEqualTo(PartSizePolicy.MAX_OBJECT);
    }

    @Test
    void partSizes_startAtTheBase_neverShrink_andStayWithinS3Limits() {
        PartSizePolicy policy = PartSizePolicy.forS3(8 * PartSizePolicy.MIB);
        assertThat(policy.sizeOf(1)).isEqualTo(8 * PartSizePolicy.MIB);
        assertThat(policy.sizeOf(500)).isEqualTo(8 * PartSizePolicy.MIB);
        assertThat(policy.sizeOf(501)).isEqualTo(16 * PartSizePolicy.MIB);
        long previous = 0;
        for (int n = 1; n <= PartSizePolicy.MAX_PARTS; n++) {
            long size = policy.sizeOf(n);
            assertThat(size).isGreaterThanOrEqualTo(previous).isBetween(PartSizePolicy.S3_MIN_PART,
                    PartSizePolicy.MAX_PART);
            previous = size;
        }
    }

    @Test
    void aBaseBelowS3sMinimum_isRefused() {
        assertThatThrownBy(() -> PartSizePolicy.forS3(PartSizePolicy.S3_MIN_PART - 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
