package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.shared.job.ExportJobItem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Re-drive marks as small items of the exports table, keyed {@code reconcile#<exportId>} like the API's
 * idempotency and guard items: they carry no GSI key attribute (no index or job query sees them) and expire
 * through the table's TTL once no export they describe can still be active. Only the reconciler writes them, and
 * its runs do not overlap (its timeout is below the schedule's period), so a plain put is enough.
 */
public final class DynamoRedriveMarks implements RedriveMarks {

    static final String PREFIX = "reconcile#";
    private static final String PROGRESS = "progress";
    private static final String LEASE_OWNER = "leaseOwner";
    private static final String FAILED_CLAIMS = "failedClaims";
    private static final String REDRIVES = "redrives";
    private static final String REDRIVEN_AT = "redrivenAt";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Duration keep;

    /** @param keep how long a mark outlives its last write: longer than an export may be active */
    public DynamoRedriveMarks(DynamoDbClient dynamo, String table, Clock clock, Duration keep) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.keep = keep;
    }

    @Override
    public Optional<RedriveMark> find(String exportId) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(ExportJobItem.key(PREFIX + exportId))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RedriveMark(exportId, item.get(PROGRESS).s(), text(item, LEASE_OWNER),
                Integer.parseInt(item.get(FAILED_CLAIMS).n()), Integer.parseInt(item.get(REDRIVES).n()),
                Optional.ofNullable(text(item, REDRIVEN_AT)).map(Instant::parse).orElse(null)));
    }

    @Override
    public void save(RedriveMark mark) {
        Map<String, AttributeValue> item = new HashMap<>(ExportJobItem.key(PREFIX + mark.exportId()));
        item.put(PROGRESS, AttributeValue.fromS(mark.progress()));
        if (mark.leaseOwner() != null) {
            item.put(LEASE_OWNER, AttributeValue.fromS(mark.leaseOwner()));
        }
        item.put(FAILED_CLAIMS, AttributeValue.fromN(Integer.toString(mark.failedClaims())));
        item.put(REDRIVES, AttributeValue.fromN(Integer.toString(mark.redrives())));
        if (mark.redrivenAt() != null) {
            item.put(REDRIVEN_AT, AttributeValue.fromS(mark.redrivenAt().toString()));
        }
        item.put(ExportJobItem.EXPIRES_AT, AttributeValue.fromN(Long.toString(
                clock.instant().plus(keep).getEpochSecond())));
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
