package com.mlplatform.logexport.worker.merge;

import com.mlplatform.logexport.worker.logs.LogPage;

/** Fetches one page of a stream (retries, time window and page size already applied). */
@FunctionalInterface
public interface PageFetcher {
    LogPage fetch(String stream, String token);
}
