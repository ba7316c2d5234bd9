package com.mlplatform.logexport.worker.logs;

/**
 * Permission to start one GetLogEvents call. The read-ahead asks it before every page it fetches, so the rate at
 * which an export reads can be bounded independently of how many fetches run at once: today by a {@link TokenBucket}
 * local to the invocation; a budget shared by every export of an account (issue 11, part 3) plugs in here.
 */
@FunctionalInterface
public interface ReadBudget {

    /** Blocks until one call may start; interrupted when the read-ahead is closed. */
    void acquire() throws InterruptedException;

    ReadBudget UNLIMITED = () -> { };
}
