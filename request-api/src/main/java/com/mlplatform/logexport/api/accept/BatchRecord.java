package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.api.accept.AcceptReplies.Item;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the API answered for a batch, kept so that every batch it answered 202 for can be read back — also one that
 * created no export of its own (every id invalid, or every id joined an export already in flight): the batch-id
 * index finds only the exports a batch created.
 *
 * @param requested how many ids the request held
 * @param joined    the exports in flight the batch was handed back (they belong to no batch or another one)
 * @param errors    the items that got an error, in request order
 */
public record BatchRecord(String batchId, String usecaseId, Instant createdAt, int requested, List<String> joined,
                          List<Item> errors) {

    public BatchRecord {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(usecaseId, "usecaseId");
        Objects.requireNonNull(createdAt, "createdAt");
        joined = List.copyOf(joined);
        errors = List.copyOf(errors);
    }
}
