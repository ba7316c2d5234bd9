package com.mlplatform.logexport.shared.job;

import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The one mapping between {@link ExportJob} and its DynamoDB item. */
public final class ExportJobItem {

    public static final String EXPORT_ID = "exportId";
    public static final String USECASE_ID = "usecaseId";
    public static final String TRAINING_ID = "trainingId";
    /**
     * GSI key of {@code user-index} and part of {@link #DEDUPE_KEY}: the requester's {@link #userKey}, which is the
     * user id itself unless that is too long for an index key.
     */
    public static final String REQUESTED_BY = "requestedBy";
    /** The full user id, written only when {@link #REQUESTED_BY} holds its digest instead. */
    public static final String REQUESTER_ID = "requesterId";
    /**
     * User ids up to this many UTF-8 bytes are their own {@link #userKey}. DynamoDB caps a partition key value at
     * 2,048 bytes (user-index and dedupe-index) and a sort key at 1,024; 512 leaves the dedupe key (user, use case
     * up to 64, training up to 63, options up to ~50) far inside the cap.
     *
     * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-partition-sort-keys">Partition and sort key limits</a>
     */
    public static final int MAX_READABLE_USER_KEY_BYTES = 512;
    /** Marks a {@link #userKey} that is a digest. An id that starts with it is hashed too, so keys never collide. */
    public static final String DIGEST_PREFIX = "sha256:";
    public static final String FORMAT = "format";
    public static final String START_TIME = "startTime";
    public static final String END_TIME = "endTime";
    /** Absent for uncompressed exports (and on every item written before compression existed). */
    public static final String COMPRESSION = "compression";
    public static final String STATUS = "status";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";
    public static final String BATCH_ID = "batchId";
    public static final String PROGRESS = "progress";
    public static final String ERROR = "error";
    public static final String RESULT = "result";
    public static final String CHECKPOINT = "checkpoint";
    public static final String VERSION = "version";
    /**
     * Who made the last conditional write, and which of their writes it was (the worker's lease owner and a
     * per-delivery sequence number). A write whose response was lost is retried by the SDK and then fails its own
     * condition; finding its own token on the record tells the writer that the first attempt committed. Absent
     * after writes that carry none (the API's).
     */
    public static final String WRITE_TOKEN = "writeToken";
    /** DynamoDB TTL attribute (epoch seconds). */
    public static final String EXPIRES_AT = "expiresAt";
    /** GSI key: requestedBy#usecaseId#trainingId#options fingerprint, for dedupe and the download shortcut. */
    public static final String DEDUPE_KEY = "dedupeKey";
    /**
     * GSI key of {@link #ACTIVE_INDEX}: present only while the job is QUEUED or RUNNING, so the index is sparse and
     * holds exactly the active exports. One of {@link #ACTIVE_SHARDS} values derived from the export id, so the
     * index's writes spread over partitions instead of one hot key. Its sort key is {@link #UPDATED_AT}, an ISO-8601
     * string ({@link Instant#toString()}): it orders by time only to the second (".5Z" sorts before "Z"), which is
     * all the reconciler's minute-scale bounds need.
     */
    public static final String ACTIVE_SHARD = "activeShard";
    public static final String ACTIVE_INDEX = "active-index";
    public static final int ACTIVE_SHARDS = 16;

    private ExportJobItem() {
    }

    public static Map<String, AttributeValue> key(String exportId) {
        return Map.of(EXPORT_ID, s(exportId));
    }

    /** The {@link #ACTIVE_SHARD} value of an export: stable, as {@link String#hashCode()} is specified. */
    public static String activeShard(String exportId) {
        return String.format("%02d", Math.floorMod(exportId.hashCode(), ACTIVE_SHARDS));
    }

    /** Every {@link #ACTIVE_SHARD} value, for querying the whole index. */
    public static List<String> activeShards() {
        return IntStream.range(0, ACTIVE_SHARDS).mapToObj(i -> String.format("%02d", i)).toList();
    }

    /**
     * A user id as index keys hold it: the id itself when it is at most {@link #MAX_READABLE_USER_KEY_BYTES} in
     * UTF-8 (so the table stays readable for every ordinary id), else {@link #DIGEST_PREFIX} + its hex SHA-256.
     */
    public static String userKey(String userId) {
        if (userId.getBytes(StandardCharsets.UTF_8).length <= MAX_READABLE_USER_KEY_BYTES
                && !userId.startsWith(DIGEST_PREFIX)) {
            return userId;
        }
        return DIGEST_PREFIX + Sha256.hex(userId);
    }

    public static String dedupeKey(String requestedBy, String usecaseId, String trainingId, ExportOptions options) {
        return userKey(requestedBy) + "#" + usecaseId + "#" + trainingId + "#" + options.fingerprint();
    }

    public static Map<String, AttributeValue> toItem(ExportJob job,
                                                                                                  Instant expiresAt) {
        var item = new HashMap<String, AttributeValue>();
        item.put(EXPORT_ID, s(job.exportId()));
        item.put(USECASE_ID, s(job.usecaseId()));
        item.put(TRAINING_ID, s(job.trainingId()));
        String userKey = userKey(job.requestedBy());
        item.put(REQUESTED_BY, s(userKey));
        if (!userKey.equals(job.requestedBy())) {
            item.put(REQUESTER_ID, s(job.requestedBy()));
        }
        item.put(FORMAT, s(job.options().format().wireName()));
        if (job.options().startTime() != null) {
            item.put(START_TIME, n(job.options().startTime()));
        }
        if (job.options().endTime() != null) {
            item.put(END_TIME, n(job.options().endTime()));
        }
        if (job.options().compression() != ExportCompression.NONE) {
            item.put(COMPRESSION, s(job.options().compression().wireName()));
        }
        item.put(STATUS, s(job.status().name()));
        if (job.status().isActive()) {
            item.put(ACTIVE_SHARD, s(activeShard(job.exportId())));
        }
        item.put(CREATED_AT, s(job.createdAt().toString()));
        item.put(UPDATED_AT, s(job.updatedAt().toString()));
        if (job.batchId() != null) {
            item.put(BATCH_ID, s(job.batchId()));
        }
        item.put(PROGRESS, progressValue(job.progress()));
        if (job.error() != null) {
            item.put(ERROR, errorValue(job.error()));
        }
        if (job.result() != null) {
            var r = job.result();
            item.put(RESULT, AttributeValue.fromM(Map.of(
                    "bucket", s(r.bucket()), "key", s(r.key()), "filename", s(r.filename()),
                    "contentType", s(r.contentType()), "sizeBytes", n(r.sizeBytes()))));
        }
        if (job.checkpoint() != null) {
            item.put(CHECKPOINT, s(job.checkpoint()));
        }
        item.put(VERSION, n(job.version()));
        item.put(EXPIRES_AT, n(expiresAt.getEpochSecond()));
        item.put(DEDUPE_KEY, s(dedupeKey(job.requestedBy(), job.usecaseId(), job.trainingId(), job.options())));
        return item;
    }

    public static ExportJob fromItem(Map<String, AttributeValue> item) {
        var options = new ExportOptions(
                ExportFormat.fromWire(str(item, FORMAT)).orElse(ExportFormat.TEXT),
                lng(item, START_TIME), lng(item, END_TIME),
                ExportCompression.fromWire(str(item, COMPRESSION)).orElse(ExportCompression.NONE));
        var p = item.get(PROGRESS) == null ? Map.<String, AttributeValue>of()
                : item.get(PROGRESS).m();
        var progress = new Progress((int) num(p, "streamsTotal"), (int) num(p, "streamsDone"), num(p, "events"),
                num(p, "bytes"));
        JobError error = null;
        if (item.get(ERROR) != null) {
            var e = item.get(ERROR).m();
            error = new JobError(ErrorCode.valueOf(str(e, "code")), str(e, "message"), str(e, "correlationId"));
        }
        ExportResult result = null;
        if (item.get(RESULT) != null) {
            var r = item.get(RESULT).m();
            result = new ExportResult(str(r, "bucket"), str(r, "key"), str(r, "filename"), str(r, "contentType"),
                    num(r, "sizeBytes"));
        }
        return new ExportJob(str(item, EXPORT_ID), str(item, USECASE_ID), str(item, TRAINING_ID),
                item.containsKey(REQUESTER_ID) ? str(item, REQUESTER_ID) : str(item, REQUESTED_BY), options,
                ExportStatus.valueOf(str(item, STATUS)),
                Instant.parse(str(item, CREATED_AT)), Instant.parse(str(item, UPDATED_AT)), str(item, BATCH_ID),
                progress, error, result, str(item, CHECKPOINT), num(item, VERSION));
    }

    public static AttributeValue progressValue(Progress p) {
        return AttributeValue.fromM(Map.of(
                "streamsTotal", n(p.streamsTotal()), "streamsDone", n(p.streamsDone()),
                "events", n(p.events()), "bytes", n(p.bytes())));
    }

    public static AttributeValue errorValue(JobError e) {
        var m = new HashMap<String, AttributeValue>();
        m.put("code", s(e.code().name()));
        m.put("message", s(e.message()));
        if (e.correlationId() != null) {
            m.put("correlationId", s(e.correlationId()));
        }
        return AttributeValue.fromM(m);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static String str(Map<String, AttributeValue> m, String k) {
        var v = m.get(k);
        return v == null ? null : v.s();
    }

    private static Long lng(Map<String, AttributeValue> m, String k) {
        var v = m.get(k);
        return v == null || v.n() == null ? null : Long.valueOf(v.n());
    }

    private static long num(Map<String, AttributeValue> m, String k) {
        Long v = lng(m, k);
        return v == null ? 0 : v;
    }
}
