package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.api.accept.AcceptReplies.Item;
import com.mlplatform.logexport.api.fanout.FanoutProgress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the API answered for a batch, kept so that every batch it answered 202 for can be read back — also one that
 * created no export of its own (every id invalid): the batch-id index finds only the exports whose jobs exist.
 *
 * @param requested how many ids the request held
 * @param joined    exports in flight the batch was handed back (batches accepted before the fan-out existed; new
 *                  batches join none, see docs/api.md "Batch at scale")
 * @param errors    the items that got an error, in request order
 * @param fanout    the fan-out of the batch's planned exports; null for a batch accepted before the fan-out existed
 */
public record BatchRecord(String batchId, String usecaseId, Instant createdAt, int requested, List<String> joined,
                          List<Item> errors, FanoutProgress fanout) {

    public BatchRecord {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(usecaseId, "usecaseId");
        Objects.requireNonNull(createdAt, "createdAt");
        joined = List.copyOf(joined);
        errors = List.copyOf(errors);
    }
}
