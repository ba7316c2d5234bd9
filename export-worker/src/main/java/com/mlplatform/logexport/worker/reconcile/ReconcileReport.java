package com.mlplatform.logexport.worker.reconcile;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one run did, as counts by action (e.g. {@code redriven_stalled}, {@code failed_too_old},
 * {@code orphan_uploads_aborted}): the run's log line and the handler's return value. No ids.
 */
public record ReconcileReport(Map<String, Integer> counts) {

    public ReconcileReport {
        counts = Map.copyOf(counts);
    }

    public int count(String action) {
        return counts.getOrDefault(action, 0);
    }

    /** The counts of every action whose name starts with {@code prefix} (e.g. all {@code redriven_} reasons). */
    public int total(String prefix) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToInt(Map.Entry::getValue).sum();
    }

    /** Sorted by action, for logs and for the Lambda's response. */
    public Map<String, Integer> sorted() {
        return new TreeMap<>(counts);
    }
}
