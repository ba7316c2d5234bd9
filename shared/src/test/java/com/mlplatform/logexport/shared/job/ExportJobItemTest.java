package com.mlplatform.logexport.shared.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.error.ErrorCode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExportJobItemTest {

    @Test
    void fromItem_shouldRestoreEveryField() {
        Instant t = Instant.parse("2026-11-30T10:15:30.123Z");
        var job = new ExportJob("exp-1", "uc-a", "train-1", "alice@example.com",
                new ExportOptions(ExportFormat.JSONL, 1L, 2L), ExportStatus.FAILED, t, t.plusSeconds(5), "bat-1",
                new Progress(3, 2, 1000, 65536), new JobError(ErrorCode.NO_LOGS, "No logs", "corr-1"),
                new ExportResult("b", "k", "f.log", "text/plain; charset=utf-8", 42), "{\"x\":1}", 7);

        var item = ExportJobItem.toItem(job, t.plusSeconds(60));

        assertThat(ExportJobItem.fromItem(item)).isEqualTo(job);
        assertThat(item.get(ExportJobItem.EXPIRES_AT).n()).isEqualTo(Long.toString(t.plusSeconds(60).getEpochSecond()));
        assertThat(item.get(ExportJobItem.DEDUPE_KEY).s()).isEqualTo("alice@example.com#uc-a#train-1#jsonl:1:2");
    }

    @Test
    void gzipOption_roundTrips_andSeparatesTheDedupeKey_whileUncompressedItemsHaveNoAttribute() {
        Instant t = Instant.parse("2026-11-30T10:15:30Z");
        var gzip = ExportJob.queued("exp-4", "uc-a", "train-1", "bob",
                ExportOptions.DEFAULT.withCompression(ExportCompression.GZIP), null, t);
        var plain = ExportJob.queued("exp-5", "uc-a", "train-1", "bob", ExportOptions.DEFAULT, null, t);

        var gzipItem = ExportJobItem.toItem(gzip, t);
        var plainItem = ExportJobItem.toItem(plain, t);

        assertThat(ExportJobItem.fromItem(gzipItem)).isEqualTo(gzip);
        assertThat(gzipItem.get(ExportJobItem.COMPRESSION).s()).isEqualTo("gzip");
        assertThat(gzipItem.get(ExportJobItem.DEDUPE_KEY).s()).isEqualTo("bob#uc-a#train-1#text:::gzip");
        assertThat(plainItem).as("items written before compression existed look the same")
                .doesNotContainKey(ExportJobItem.COMPRESSION);
        assertThat(plainItem.get(ExportJobItem.DEDUPE_KEY).s()).isEqualTo("bob#uc-a#train-1#text::");
        assertThat(gzip.options().contentType()).isEqualTo("application/gzip");
    }

    @Test
    void fromItem_shouldLeaveOptionalPartsEmpty() {
        Instant t = Instant.parse("2026-11-30T10:15:30Z");
        var job = ExportJob.queued("exp-2", "uc-a", "train-1", "bob", ExportOptions.DEFAULT, null, t);
        assertThat(ExportJobItem.fromItem(ExportJobItem.toItem(job, t))).isEqualTo(job);
    }

    @Test
    void activeShard_isPresentOnlyWhileTheJobIsActive() {
        Instant t = Instant.parse("2026-11-30T10:15:30Z");
        var queued = ExportJob.queued("exp-3", "uc-a", "train-1", "bob", ExportOptions.DEFAULT, null, t);
        for (ExportStatus status : ExportStatus.values()) {
            var job = new ExportJob(queued.exportId(), queued.usecaseId(), queued.trainingId(), queued.requestedBy(),
                    queued.options(), status, t, t, null, Progress.NONE, null, null, null, 0);

            var item = ExportJobItem.toItem(job, t);

            assertThat(item.containsKey(ExportJobItem.ACTIVE_SHARD)).as("activeShard on a %s job", status)
                    .isEqualTo(status.isActive());
        }
    }

    @Test
    void activeShard_isOneOfTheShards_andStablePerExport() {
        for (int i = 0; i < 200; i++) {
            String id = ExportIds.newExportId();
            assertThat(ExportJobItem.activeShards()).contains(ExportJobItem.activeShard(id));
            assertThat(ExportJobItem.activeShard(id)).isEqualTo(ExportJobItem.activeShard(new String(id)));
        }
        assertThat(ExportJobItem.activeShards()).hasSize(ExportJobItem.ACTIVE_SHARDS).doesNotHaveDuplicates();
    }
}
