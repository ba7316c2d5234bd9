package com.mlplatform.logexport.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "job-1", "A1", "my--job", "x-y-z-2024-01-01-12-00-00-123"})
    void trainingId_shouldAcceptSageMakerNames(String name) {
        assertThat(Identifiers.isTrainingId(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-job", "job-", "job_1", "job.1", "job/1", "job%2F1", "jöb", "job 1", "..", "a%00"})
    void trainingId_shouldRejectAnythingElse(String name) {
        assertThat(Identifiers.isTrainingId(name)).isFalse();
        assertThatThrownBy(() -> Identifiers.trainingId(name))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.getMessage()).as("the message names the field").startsWith("trainingId");
                });
    }

    @Test
    void trainingId_shouldBeAtMost63Characters() {
        assertThat(Identifiers.isTrainingId("a".repeat(63))).isTrue();
        assertThat(Identifiers.isTrainingId("a".repeat(64))).isFalse();
        assertThat(Identifiers.isTrainingId("a" + "-".repeat(70) + "b")).as("hyphens count too").isFalse();
    }

    @Test
    void otherIds_shouldBeValidatedAndNamed() {
        assertThat(Identifiers.usecaseId("uc_a-1")).isEqualTo("uc_a-1");
        assertThatThrownBy(() -> Identifiers.usecaseId("uc%2Fa")).hasMessageStartingWith("usecaseId");
        assertThatThrownBy(() -> Identifiers.usecaseId("-uc")).hasMessageStartingWith("usecaseId");
        String exportId = ExportIds.newExportId();
        assertThat(Identifiers.exportId(exportId)).isEqualTo(exportId);
        assertThatThrownBy(() -> Identifiers.exportId("exp-../../etc")).hasMessageStartingWith("exportId");
        assertThatThrownBy(() -> Identifiers.batchId(exportId)).hasMessageStartingWith("batchId");
        assertThatThrownBy(() -> Identifiers.idempotencyKey("has space")).hasMessageContaining("Idempotency-Key");
        assertThat(Identifiers.idempotencyKey("8c4f2a9e-1b7d-4e3a-9f0c-2d5e6a7b8c9d")).isNotNull();
    }
}
