package com.mlplatform.logexport.shared.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.error.ErrorCode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    /** DynamoDB's caps on a key value, for the table and each GSI (Constraints: partition and sort keys). */
    private static final int MAX_PARTITION_KEY_BYTES = 2_048;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"alice", "a1000", "a4096", "u4096"})
    void indexKeys_shouldStayWithinDynamoDbsKeyLimits_andTheFullUserIdComeBack(String which) {
        String userId = switch (which) {
            case "a1000" -> "a".repeat(1_000);
            case "a4096" -> "a".repeat(4_096);
            case "u4096" -> "\uD83D\uDE00".repeat(2_048); // 4,096 UTF-16 chars, 8,192 UTF-8 bytes
            default -> which;
        };
        Instant t = Instant.parse("2026-11-30T10:15:30Z");
        var job = ExportJob.queued("exp-9", "u".repeat(64), "t".repeat(63), userId,
                new ExportOptions(ExportFormat.JSONL, Long.MAX_VALUE - 1, Long.MAX_VALUE), null, t);

        var item = ExportJobItem.toItem(job, t);

        assertThat(bytes(item.get(ExportJobItem.REQUESTED_BY).s())).isLessThanOrEqualTo(MAX_PARTITION_KEY_BYTES);
        assertThat(bytes(item.get(ExportJobItem.DEDUPE_KEY).s())).isLessThanOrEqualTo(MAX_PARTITION_KEY_BYTES);
        assertThat(ExportJobItem.fromItem(item).requestedBy()).isEqualTo(userId);
        assertThat(item.containsKey(ExportJobItem.REQUESTER_ID)).as("the full id kept apart only when hashed")
                .isEqualTo(!userId.equals("alice"));
    }

    @Test
    void userKey_isTheIdItself_upTo512Bytes_elseADigestThatNoReadableIdCanEqual() {
        String at512 = "b".repeat(512);
        assertThat(ExportJobItem.userKey(at512)).isEqualTo(at512);
        assertThat(ExportJobItem.userKey(at512 + "b")).startsWith("sha256:").hasSize(7 + 64);
        String digest = ExportJobItem.userKey(at512 + "b");
        assertThat(ExportJobItem.userKey(digest)).as("an id that looks like a digest is hashed too")
                .isNotEqualTo(digest).startsWith("sha256:");
    }

    private static int bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
