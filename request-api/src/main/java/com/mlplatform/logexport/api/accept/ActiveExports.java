package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.job.ExportStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Counts a user's QUEUED and RUNNING exports through the {@code user-index} GSI, for the per-user cap.
 *
 * <p>Only exports created within {@link #LOOKBACK} count: one stuck for longer (a worker that died and a message in
 * the DLQ) must not lock its user out for good. The GSI is eventually consistent, so two requests racing at the
 * cap can both pass; the cap protects the platform from runaway scripts, it is not a quota to the unit.
 */
public final class ActiveExports {

    public static final Duration LOOKBACK = Duration.ofHours(24);
    static final String USER_INDEX = "user-index";

    private final DynamoDbClient dynamo;
    private final String table;

    public ActiveExports(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * The user's active exports, counted up to {@code enough}: once that many are found the answer is decided, so
     * the query stops paging (a busy user's day of finished exports is not read on every request).
     */
    public long count(String userId, Instant now, long enough) {
        var pages = dynamo.queryPaginator(r -> r.tableName(table).indexName(USER_INDEX)
                .keyConditionExpression("#u = :u AND #c >= :since")
                .filterExpression("#s IN (:queued, :running)")
                .expressionAttributeNames(Map.of("#u", ExportJobItem.REQUESTED_BY, "#c", ExportJobItem.CREATED_AT,
                        "#s", ExportJobItem.STATUS))
                .expressionAttributeValues(Map.of(
                        ":u", AttributeValue.fromS(userId),
                        ":since", AttributeValue.fromS(now.minus(LOOKBACK).toString()),
                        ":queued", AttributeValue.fromS(ExportStatus.QUEUED.name()),
                        ":running", AttributeValue.fromS(ExportStatus.RUNNING.name())))
                .select(Select.COUNT));
        long total = 0;
        for (var page : pages) {
            total += page.count();
            if (total >= enough) {
                break;
            }
        }
        return total;
    }
}
