package com.mlplatform.logexport.api.accept;

import java.time.Instant;
import java.util.Objects;

/**
 * The in-flight guard of one dedupe key: which export owns the request, and since when.
 *
 * @param dedupeKey the request's (caller, use case, training, options) key
 * @param owner     the export id the guard names
 * @param claimedAt when the owner claimed it ({@link Instant#EPOCH} when unknown)
 */
public record Guard(String dedupeKey, String owner, Instant claimedAt) {

    public Guard {
        Objects.requireNonNull(dedupeKey, "dedupeKey");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(claimedAt, "claimedAt");
    }
}
