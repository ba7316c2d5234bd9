package com.mlplatform.logexport.worker.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.worker.merge.StreamCursor;
import com.mlplatform.logexport.worker.upload.MultipartWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointCodecTest {

    private static Checkpoint withStreams(int n) {
        List<StreamCursor.Position> streams = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            streams.add(new StreamCursor.Position("llm-pretrain-2026-01-15-run-42/algo-" + i + "-1767000000",
                    "f/38000000000000000000000000000000000000000000000000000" + i + "/s", i % 7, i % 3 == 0, 10L * i));
        }
        return Checkpoint.initial(1_767_000_000_000L).withLease(new Lease("req/msg", 1_767_000_900_000L))
                .withStreams(streams).withUpload("upload-id-" + "x".repeat(100),
                        new MultipartWriter.State(17, 123_456_789L, true, 5_242_880, 1_000), "\"etag\"");
    }

    @Test
    void roundTrips_exactly() {
        Checkpoint cp = withStreams(3);
        String stored = CheckpointCodec.encode(cp);
        assertThat(stored).as("small checkpoints stay readable JSON").startsWith("{");
        assertThat(CheckpointCodec.decode(stored)).isEqualTo(cp);
    }

    @Test
    void continuationNumber_keepsItsStoredName_soCheckpointsAlreadyWrittenStillDecode() {
        Checkpoint next = withStreams(1).nextContinuation();
        String stored = CheckpointCodec.encode(next);
        assertThat(stored).contains("\"hop\":1").doesNotContain("\"continuation\"");
        assertThat(CheckpointCodec.decode(stored).continuation()).isEqualTo(1);
    }

    @Test
    void thousandsOfStreams_stayFarBelowDynamoDbsItemLimit() {
        Checkpoint cp = withStreams(5_000);
        String stored = CheckpointCodec.encode(cp);
        assertThat(stored).startsWith("gz:");
        assertThat(stored.length()).isLessThan(CheckpointCodec.MAX_STORED).isLessThan(400 * 1024);
        assertThat(CheckpointCodec.decode(stored)).isEqualTo(cp);
    }

    @Test
    void noCheckpoint_decodesToNull() {
        assertThat(CheckpointCodec.decode(null)).isNull();
    }
}
