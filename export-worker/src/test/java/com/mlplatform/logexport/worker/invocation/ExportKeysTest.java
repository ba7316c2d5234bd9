package com.mlplatform.logexport.worker.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExportKeysTest {

    private static final ExportJob JOB = ExportJob.queued("exp-0123456789abcdefghjkmnpqrs", "uc-a", "train-1",
            "alice", ExportOptions.DEFAULT, null, Instant.parse("2026-03-01T10:00:00Z"));

    @Test
    void prefixes_coverTheKeysTheWorkerWrites() {
        assertThat(ExportKeys.objectKey(JOB)).startsWith(ExportKeys.exportPrefix(JOB.usecaseId(), JOB.exportId()));
        assertThat(ExportKeys.stashKey(JOB, 42)).startsWith(ExportKeys.workPrefix(JOB.usecaseId(), JOB.exportId()));
    }

    @Test
    void gzipExports_areNamedDotGz_inTheKeyAndTheDownloadName() {
        ExportJob gzip = ExportJob.queued("exp-0123456789abcdefghjkmnpqrs", "uc-a", "train-1", "alice",
                new ExportOptions(ExportFormat.JSONL, null, null, ExportCompression.GZIP), null,
                Instant.parse("2026-03-01T10:00:00Z"));

        assertThat(ExportKeys.filename(gzip)).isEqualTo("train-1-logs-20260301T100000Z.jsonl.gz");
        assertThat(ExportKeys.objectKey(gzip)).endsWith("/train-1-logs-20260301T100000Z.jsonl.gz");
        assertThat(ExportKeys.filename(JOB)).isEqualTo("train-1-logs-20260301T100000Z.log");
    }

    @Test
    void exportIdOf_readsTheIdFromEitherLayout_andNothingFromOtherKeys() {
        assertThat(ExportKeys.exportIdOf(ExportKeys.objectKey(JOB))).contains(JOB.exportId());
        assertThat(ExportKeys.exportIdOf(ExportKeys.stashKey(JOB, 42))).contains(JOB.exportId());
        assertThat(ExportKeys.exportIdOf("exports/uc-a/")).isEmpty();
        assertThat(ExportKeys.exportIdOf("other/uc-a/exp-1/file")).isEmpty();
        assertThat(ExportKeys.exportIdOf("exports/uc-a//file")).isEmpty();
    }
}
