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

    /**
     * {@link #acquire()}, told how many calls its reader could start with tokens reserved now, this one included: the
     * reader's streams that are neither finished nor in a call. A budget that reserves several tokens at once need
     * not reserve more than that while other readers wait for the rate (tokens nobody spends are lost to all of them).
     * A hint, never a promise; a budget may ignore it.
     */
    default void acquire(int wanted) throws InterruptedException {
        acquire();
    }

    ReadBudget UNLIMITED = () -> { };
}
