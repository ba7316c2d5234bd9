package com.mlplatform.logexport.worker.logs;

import java.util.Map;

/**
 * How an export reads its streams: {@code threads} GetLogEvents calls at most in flight at once (default
 * {@value #DEFAULT_THREADS}; 0: the sequential reader, one page at a time when the merge needs it), started at most
 * {@code pagesPerSecond} a second (0: no local limit).
 *
 * <p>The default rate is the account's GetLogEvents quota, 25 requests per second per account and Region: one
 * export alone never throttles itself. (Several exports of one account still share that quota; see issue 11.)
 *
 * @see <a href="https://docs.aws.amazon.com/general/latest/gr/cwl_region.html">CloudWatch Logs endpoints and quotas</a>
 */
public record ReadAheadSettings(int threads, double pagesPerSecond) {

    /**
     * Calls in flight by default. To use the whole quota an export needs quota × call time calls in flight (Little's
     * law): 25/s × 50 ms ≈ 1.3 for a small page, 25/s × 300 ms ≈ 8 for a full 1 MB page; more threads would only
     * wait for tokens. Threads do not change the memory bound, which is per stream (see {@link ReadAheadLogSource}:
     * at most {@link ReadAheadLogSource#PAGES_AHEAD_PER_STREAM} page ahead of the merge's own), only how many
     * responses are being parsed at once (≤ 8 × 1 MB).
     */
    public static final int DEFAULT_THREADS = 8;
    public static final double GET_LOG_EVENTS_QUOTA = 25;
    /**
     * Read-ahead is on: throttling it meets is retried as the sequential reader's is (the SDK's retries, then the
     * merge's backoff in its own thread; FaultInjectionIT), and the file, checkpoints and continuations are the
     * sequential reader's (ReadAheadProperties).
     */
    public static final ReadAheadSettings DEFAULT = new ReadAheadSettings(DEFAULT_THREADS, GET_LOG_EVENTS_QUOTA);

    static final String THREADS = "LOG_READ_AHEAD_THREADS";
    static final String RATE = "LOG_READ_RATE";

    public ReadAheadSettings {
        if (threads < 0 || pagesPerSecond < 0) {
            throw new IllegalArgumentException("threads and rate must not be negative");
        }
    }

    /**
     * From the environment ({@code LOG_READ_AHEAD_THREADS}, {@code LOG_READ_RATE}), each overridable by a system
     * property of the same name (the benchmark switches readers within one JVM that way).
     */
    public static ReadAheadSettings from(Map<String, String> env) {
        return new ReadAheadSettings(
                (int) number(env, THREADS, DEFAULT.threads()), number(env, RATE, DEFAULT.pagesPerSecond()));
    }

    private static double number(Map<String, String> env, String name, double fallback) {
        String value = System.getProperty(name, env.get(name));
        return value == null || value.isBlank() ? fallback : Double.parseDouble(value.trim());
    }

    public boolean sequential() {
        return threads == 0;
    }

    ReadBudget budget() {
        return pagesPerSecond == 0 ? ReadBudget.UNLIMITED : new TokenBucket(pagesPerSecond, pagesPerSecond);
    }
}
