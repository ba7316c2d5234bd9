package com.mlplatform.logexport.shared.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class ExportIdsTest {

    @Test
    void newIds_shouldMatchTheirPublishedPatterns_andNotRepeat() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            String exportId = ExportIds.newExportId();
            assertThat(exportId).matches(ExportIds.EXPORT_ID);
            assertThat(ExportIds.newBatchId()).matches(ExportIds.BATCH_ID);
            assertThat(seen.add(exportId)).as("duplicate id %s", exportId).isTrue();
        }
    }
}
