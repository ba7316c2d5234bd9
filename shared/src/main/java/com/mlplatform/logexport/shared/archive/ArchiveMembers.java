package com.mlplatform.logexport.shared.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mlplatform.logexport.shared.compress.GzipText;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.json.Json;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a batch's archive holds, fixed when the archive is requested: the API writes it (item
 * {@code archive#<batchId>} in the exports table, next to the archive job) and the worker reads it on every
 * invocation, so every invocation builds from the same list and the archive's bytes do not depend on how many
 * invocations it took. The members are gzip-compressed JSON in one binary attribute; no GSI key attribute, so no
 * index sees the item; it expires with the archive job.
 */
public record ArchiveMembers(String batchId, String usecaseId, List<ArchiveMember> members) {

    public static final String PREFIX = "archive#";
    static final String CONTENT = "archiveMembers";
    /** The 400 KB item limit less room for the key and the other attributes. */
    public static final int MAX_STORED_BYTES = 380 * 1024;

    public ArchiveMembers {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(usecaseId, "usecaseId");
        members = List.copyOf(members);
    }

    record Content(String batchId, String usecaseId, List<ArchiveMember> members) {
    }

    public static Map<String, AttributeValue> key(String batchId) {
        return ExportJobItem.key(PREFIX + batchId);
    }

    /** The item, or empty when even compressed it would not fit in one DynamoDB item. */
    public Optional<Map<String, AttributeValue>> toItem(Instant expiresAt) {
        byte[] content = GzipText.compress(Json.write(new Content(batchId, usecaseId, members)));
        if (content.length > MAX_STORED_BYTES) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = new HashMap<>(key(batchId));
        item.put(CONTENT, AttributeValue.fromB(SdkBytes.fromByteArray(content)));
        item.put(ExportJobItem.EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
        return Optional.of(item);
    }

    public static Optional<ArchiveMembers> fromItem(Map<String, AttributeValue> item) {
        if (item == null || !item.containsKey(CONTENT)) {
            return Optional.empty();
        }
        try {
            Content c = Json.MAPPER.readValue(GzipText.decompress(item.get(CONTENT).b().asByteArray()), Content.class);
            return Optional.of(new ArchiveMembers(c.batchId(), c.usecaseId(), c.members()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
