package com.mlplatform.logexport.api.accept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mlplatform.logexport.api.http.ApiException;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportOptions;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportRequestBodyTest {

    @Test
    void single_shouldUseDefaults_whenBodyIsAbsentOrEmpty() {
        assertThat(ExportRequestBody.single(null)).isEqualTo(ExportOptions.DEFAULT);
        assertThat(ExportRequestBody.single("")).isEqualTo(ExportOptions.DEFAULT);
        assertThat(ExportRequestBody.single("{}")).isEqualTo(ExportOptions.DEFAULT);
    }

    @Test
    void single_shouldReadFormatAndTimes_asEpochMillisOrIso8601() {
        var options = ExportRequestBody.single(
                "{\"format\":\"jsonl\",\"startTime\":1700000000000,\"endTime\":\"2023-11-14T22:23:20.500Z\"}");
        assertThat(options).isEqualTo(new ExportOptions(ExportFormat.JSONL, 1_700_000_000_000L,
                Instant.parse("2023-11-14T22:23:20.500Z").toEpochMilli()));
        assertThat(ExportRequestBody.single("{\"startTime\":\"2024-01-01T01:00:00+01:00\"}").startTime())
                .isEqualTo(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json", "[1,2]", "\"text\"", "42", "{\"format\":\"pdf\"}", "{\"format\":1}",
            "{\"startTime\":\"yesterday\"}", "{\"startTime\":-1}", "{\"startTime\":1.5}", "{\"endTime\":true}",
            "{\"format\":\"text\",\"format\":\"jsonl\"}", "{\"startTime\":99999999999999999999999}"})
    void single_shouldRejectMalformedBodies_with400(String body) {
        assertThatThrownBy(() -> ExportRequestBody.single(body))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    @ParameterizedTest
    @ValueSource(strings = {"startTime", "endTime"})
    void isoTimesBefore1970_shouldBe400_namingTheField(String field) {
        assertThatThrownBy(() -> ExportRequestBody.single("{\"" + field + "\":\"1969-12-31T23:59:59Z\"}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.getMessage()).startsWith(field).contains("1970");
                });
        assertThatThrownBy(() -> ExportRequestBody.batch("{\"trainingIds\":[\"a\"],\"" + field
                + "\":\"1900-01-01T00:00:00+01:00\"}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).startsWith(field));
    }

    @Test
    void compression_shouldDefaultToNone_andAcceptGzip_inSingleAndBatchBodies() {
        assertThat(ExportRequestBody.single("{}").compression()).isEqualTo(ExportCompression.NONE);
        assertThat(ExportRequestBody.single("{\"compression\":null}").compression()).isEqualTo(ExportCompression.NONE);
        assertThat(ExportRequestBody.single("{\"compression\":\"none\"}")).isEqualTo(ExportOptions.DEFAULT);
        assertThat(ExportRequestBody.single("{\"format\":\"jsonl\",\"compression\":\"gzip\"}"))
                .isEqualTo(new ExportOptions(ExportFormat.JSONL, null, null, ExportCompression.GZIP));
        assertThat(ExportRequestBody.batch("{\"trainingIds\":[\"a\"],\"compression\":\"gzip\"}").options()
                .compression()).isEqualTo(ExportCompression.GZIP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"compression\":\"zip\"}", "{\"compression\":\"bzip2\"}", "{\"compression\":true}",
            "{\"compression\":\"\"}", "{\"compression\":[\"gzip\"]}", "{\"trainingIds\":[\"a\"],\"compression\":\"br\"}"})
    void compression_shouldRejectUnknownValues_with400NamingTheField(String body) {
        assertThatThrownBy(() -> {
            if (body.contains("trainingIds")) {
                ExportRequestBody.batch(body);
            } else {
                ExportRequestBody.single(body);
            }
        }).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(e.getMessage()).isEqualTo("compression must be \"none\" or \"gzip\".");
        });
    }

    @Test
    void single_shouldNameAnUnknownField() {
        assertThatThrownBy(() -> ExportRequestBody.single("{\"userId\":\"mallory\"}"))
                .isInstanceOf(ApiException.class).hasMessageContaining("Unknown field 'userId'");
    }

    @Test
    void single_shouldRejectStartAfterEnd() {
        assertThatThrownBy(() -> ExportRequestBody.single("{\"startTime\":2000,\"endTime\":1000}"))
                .isInstanceOf(ApiException.class).hasMessageContaining("startTime must not be after endTime");
    }

    @Test
    void body_shouldBeRefusedWith413_whenLargerThanTheLimit() {
        String huge = "{\"trainingIds\":[\"" + "a".repeat(ExportRequestBody.MAX_BODY_BYTES) + "\"]}";
        assertThatThrownBy(() -> ExportRequestBody.batch(huge))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
    }

    @Test
    void batch_shouldKeepInvalidEntriesForPerItemErrors() {
        var batch = ExportRequestBody.batch("{\"trainingIds\":[\"ok-1\",\"bad/1\",7,null],\"format\":\"jsonl\"}");
        assertThat(batch.trainingIds()).isEqualTo(Arrays.asList("ok-1", "bad/1", null, null));
        assertThat(batch.options().format()).isEqualTo(ExportFormat.JSONL);
    }

    @Test
    void batch_shouldRequireOneToFiveThousandIds() {
        assertThatThrownBy(() -> ExportRequestBody.batch("{}")).hasMessageContaining("trainingIds");
        assertThatThrownBy(() -> ExportRequestBody.batch("{\"trainingIds\":[]}")).hasMessageContaining("5000");
        String ids = String.join(",", java.util.Collections.nCopies(5001, "\"a\""));
        assertThatThrownBy(() -> ExportRequestBody.batch("{\"trainingIds\":[" + ids + "]}"))
                .hasMessageContaining("5000");
        String longest = "a".repeat(63);
        String full = String.join(",", java.util.Collections.nCopies(5000, "\"" + longest + "\""));
        assertThat(ExportRequestBody.batch("{\"trainingIds\":[" + full + "],\"format\":\"jsonl\"}").trainingIds())
                .as("5,000 ids of the longest valid length fit the body limit").hasSize(5000);
    }

    @Test
    void batch_shouldRejectAnUnknownField() {
        assertThatThrownBy(() -> ExportRequestBody.batch("{\"trainingIds\":[\"a\"],\"requestedBy\":\"x\"}"))
                .hasMessageContaining("Unknown field 'requestedBy'");
    }
}
