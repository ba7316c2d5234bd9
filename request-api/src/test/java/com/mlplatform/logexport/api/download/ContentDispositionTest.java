package com.mlplatform.logexport.api.download;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentDispositionTest {

    @Test
    void asciiName_shouldBeAPlainQuotedFilename() {
        assertThat(ContentDisposition.attachment("train-job-1-logs.log"))
                .isEqualTo("attachment; filename=\"train-job-1-logs.log\"");
    }

    @Test
    void nonAsciiName_shouldAddRfc8187FilenameStar_andAnAsciiFallback() {
        assertThat(ContentDisposition.attachment("trainé–1.log"))
                .isEqualTo("attachment; filename=\"train__1.log\"; filename*=UTF-8''train%C3%A9%E2%80%931.log");
    }

    @Test
    void quotesAndBackslashes_shouldNeverBreakOutOfTheQuotedString() {
        assertThat(ContentDisposition.attachment("a\"b\\c.log"))
                .startsWith("attachment; filename=\"a_b_c.log\"; filename*=UTF-8''a%22b%5Cc.log");
    }
}
