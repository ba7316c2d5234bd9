package com.mlplatform.logexport.worker.logs;

import java.util.List;

/**
 * Where training logs come from: CloudWatch Logs in production ({@link CloudWatchLogSource}), an in-memory source
 * with the same paging behaviour in property tests. The merge and the export only see this interface.
 */
public interface LogSource {

    /** Every stream whose name starts with {@code prefix}, across all pages, in name order. */
    List<String> streamNames(String prefix);

    /**
     * One page of {@code stream} read forwards: from the head when {@code token} is null, else from a token a
     * previous page returned. Events outside {@code window} are not returned.
     */
    LogPage page(String stream, String token, TimeWindow window, int limit);

    /**
     * A hint that {@link #page} will soon be asked for exactly this page: a source that reads ahead may start
     * reading it now ({@link ReadAheadLogSource}); the others ignore it.
     */
    default void prefetch(String stream, String token, TimeWindow window, int limit) {
    }
}
