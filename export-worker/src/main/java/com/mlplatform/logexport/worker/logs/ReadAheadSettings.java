package com.mlplatform.logexport.worker.logs;

import java.util.Map;

/**
 * How an export reads its streams: {@code threads} GetLogEvents calls at most in flight at once (default
 * {@value #DEFAULT_THREADS}; 0: the sequential reader, one page at a time when the merge needs it). How fast calls
 * may start is the account's read budget's business ({@code readbudget.ReadBudgets}).
 */
public record ReadAheadSettings(int threads) {

    /**
     * Calls in flight by default. To use the whole quota an export needs quota × call time calls in flight (Little's
     * law): 25/s × 50 ms ≈ 1.3 for a small page, 25/s × 300 ms ≈ 8 for a full 1 MB page; more threads would only
     * wait for tokens. Threads do not change the memory bound, which is per stream (see {@link ReadAheadLogSource}:
     * at most {@link ReadAheadLogSource#PAGES_AHEAD_PER_STREAM} page ahead of the merge's own), only how many
     * responses are being parsed at once (≤ 8 × 1 MB).
     */
    public static final int DEFAULT_THREADS = 8;
    /**
     * Read-ahead is on: throttling it meets is retried as the sequential reader's is (the SDK's retries, then the
     * merge's backoff in its own thread; FaultInjectionIT), and the file, checkpoints and continuations are the
     * sequential reader's (ReadAheadProperties).
     */
    public static final ReadAheadSettings DEFAULT = new ReadAheadSettings(DEFAULT_THREADS);

    public static final String ENV_THREADS = "LOG_READ_AHEAD_THREADS";

    public ReadAheadSettings {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must not be negative");
        }
    }

    /**
     * From the environment ({@code LOG_READ_AHEAD_THREADS}), overridable by a system property of the same name (the
     * benchmark switches readers within one JVM that way).
     */
    public static ReadAheadSettings from(Map<String, String> env) {
        String value = System.getProperty(ENV_THREADS, env.get(ENV_THREADS));
        return value == null || value.isBlank() ? DEFAULT : new ReadAheadSettings(Integer.parseInt(value.trim()));
    }

    public boolean sequential() {
        return threads == 0;
    }
}
