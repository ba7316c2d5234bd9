package com.mlplatform.logexport.worker.merge;

import com.mlplatform.logexport.worker.logs.LogPage;

/** Fetches one page of a stream (retries, time window and page size already applied). */
@FunctionalInterface
public interface PageFetcher {

    /**
     * @param refetch true when re-reading the page a checkpoint stopped in (no new position is reached), false
     *                when moving on to the next page
     */
    LogPage fetch(String stream, String token, boolean refetch);
}
