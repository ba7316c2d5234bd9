package com.mlplatform.logexport.worker.logs;

/**
 * Permission to start one CloudWatch Logs read call. The read-ahead asks it before every page it fetches (and the
 * listing before every DescribeLogStreams page), so the rate at which exports read is bounded independently of how
 * many fetches run at once: by the account's shared bucket ({@code readbudget.SharedReadBudget}), or a local
 * {@link TokenBucket}.
 */
@FunctionalInterface
public interface ReadBudget {

    /** Blocks until one call may start; interrupted when the read-ahead is closed. */
    void acquire() throws InterruptedException;

    ReadBudget UNLIMITED = () -> { };
}
