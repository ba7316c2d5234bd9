package com.mlplatform.logexport.shared.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExportStatusTest {

    @ParameterizedTest
    @EnumSource(value = ExportStatus.class, names = {"SUCCEEDED", "FAILED", "CANCELLED"})
    void finishedStates_shouldNeverMoveAgain(ExportStatus finished) {
        for (ExportStatus target : ExportStatus.values()) {
            assertThat(finished.canMoveTo(target)).as("%s -> %s", finished, target).isFalse();
        }
    }

    @Test
    void queued_shouldNotJumpStraightToSucceeded() {
        assertThat(ExportStatus.QUEUED.canMoveTo(ExportStatus.SUCCEEDED)).isFalse();
        assertThat(ExportStatus.QUEUED.canMoveTo(ExportStatus.RUNNING)).isTrue();
        assertThat(ExportStatus.RUNNING.canMoveTo(ExportStatus.SUCCEEDED)).isTrue();
    }
}
