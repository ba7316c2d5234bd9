package com.mlplatform.logexport.api.accept;

import java.time.Duration;
import java.time.Instant;

/**
 * A user's QUEUED and RUNNING exports, counted for the per-user cap ({@code exportstable.DynamoExportIndexes} in
 * production).
 *
 * <p>Only exports created within {@link #LOOKBACK} count: one stuck for longer (a worker that died and a message in
 * the DLQ) must not lock its user out for good. The count comes from an eventually consistent index, so two
 * requests racing at the cap can both pass; the cap protects the platform from runaway scripts, it is not a quota
 * to the unit.
 */
@FunctionalInterface
public interface ActiveExports {

    Duration LOOKBACK = Duration.ofHours(24);

    /**
     * The user's active exports created since {@code now - LOOKBACK} and written since {@code writtenSince} (live,
     * see {@link Liveness}: a stuck one is the reconciler's and does not hold its user back), counted up to
     * {@code enough}: once that many are found the answer is decided, so the count may stop there (a busy user's
     * day of finished exports is not read on every request).
     */
    long count(String userId, Instant now, Instant writtenSince, long enough);
}
