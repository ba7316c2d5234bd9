package com.mlplatform.logexport.api.fanout;

import com.mlplatform.logexport.shared.hash.Base32;
import com.mlplatform.logexport.shared.job.ExportIds;
import java.util.Optional;

/**
 * The export ids of a batch's items, assigned when the batch is accepted, before any job exists. An item's id is
 * {@code exp-} + the first {@value #PREFIX_CHARS} characters of the batch id's random part + the item's index in
 * {@value #INDEX_CHARS} base-32 characters: it matches the public {@code exp-} pattern, and from the id alone the
 * status route finds the batch's plan chunk in one read while the fan-out has not yet created the job.
 *
 * <p>The prefix keeps 110 of the batch id's 130 random bits, so ids of two batches never meet, and a random single
 * export id names a plan that does not exist. Knowing one item's id tells its siblings' ids: they are visible to
 * the same members anyway, and anyone else gets the same 404 as for an unknown id.
 */
public final class BatchItemIds {

    static final int PREFIX_CHARS = 22;
    static final int INDEX_CHARS = 4;
    /** How many items the index characters can number. */
    public static final int MAX_ITEMS = 1 << (5 * INDEX_CHARS);

    private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

    /** Where an export id points in its batch's plan: the batch's id prefix and the item's index. */
    public record Ref(String prefix, int index) {
    }

    private BatchItemIds() {
    }

    public static String exportId(String batchId, int index) {
        if (index < 0 || index >= MAX_ITEMS) {
            throw new IllegalArgumentException("item index out of range: " + index);
        }
        return "exp-" + prefix(batchId) + Base32.encode(index, INDEX_CHARS);
    }

    /** The part of the batch id that its items' export ids carry (and its plan chunks are keyed by). */
    public static String prefix(String batchId) {
        if (!ExportIds.BATCH_ID.matcher(batchId).matches()) {
            throw new IllegalArgumentException("not a batch id: " + batchId);
        }
        return batchId.substring(4, 4 + PREFIX_CHARS);
    }

    /** The place an export id would have in a batch plan; empty when it is not a well-formed export id. */
    public static Optional<Ref> parse(String exportId) {
        if (exportId == null || !ExportIds.EXPORT_ID.matcher(exportId).matches()) {
            return Optional.empty();
        }
        int index = 0;
        for (char c : exportId.substring(4 + PREFIX_CHARS).toCharArray()) {
            index = index * 32 + ALPHABET.indexOf(c);
        }
        return Optional.of(new Ref(exportId.substring(4, 4 + PREFIX_CHARS), index));
    }
}
