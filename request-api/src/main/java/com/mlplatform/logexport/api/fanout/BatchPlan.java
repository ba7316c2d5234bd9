package com.mlplatform.logexport.api.fanout;

import com.mlplatform.logexport.shared.job.ExportOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an accepted batch will create: one export per distinct valid training id, in request order, each with the
 * id {@link BatchItemIds} assigns to its index. Stored in {@link #CHUNK_SIZE}-item chunks: 5,000 ids of 63
 * characters are ~330 KB of JSON, too close to DynamoDB's 400 KB item limit for one item; 1,000 are at most ~66 KB.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items">DynamoDB item size limit</a>
 */
public record BatchPlan(String batchId, String usecaseId, String requestedBy, ExportOptions options,
                        Instant createdAt, List<String> trainingIds) {

    public static final int CHUNK_SIZE = 1_000;

    public BatchPlan {
        Objects.requireNonNull(batchId, "batchId");
        trainingIds = List.copyOf(trainingIds);
        if (trainingIds.size() > BatchItemIds.MAX_ITEMS) {
            throw new IllegalArgumentException("a plan holds at most " + BatchItemIds.MAX_ITEMS + " items");
        }
    }

    public String exportId(int index) {
        return BatchItemIds.exportId(batchId, index);
    }

    public List<PlanChunk> chunks() {
        List<PlanChunk> chunks = new ArrayList<>();
        for (int from = 0, no = 0; from < trainingIds.size(); from += CHUNK_SIZE, no++) {
            chunks.add(new PlanChunk(batchId, usecaseId, requestedBy, options, createdAt, no,
                    trainingIds.subList(from, Math.min(trainingIds.size(), from + CHUNK_SIZE))));
        }
        return chunks;
    }

    /** How many chunks a plan of {@code items} items has. */
    public static int chunkCount(int items) {
        return (items + CHUNK_SIZE - 1) / CHUNK_SIZE;
    }
}
