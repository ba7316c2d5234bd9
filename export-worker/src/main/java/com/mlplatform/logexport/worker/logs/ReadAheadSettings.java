package com.mlplatform.logexport.worker.logs;

import java.util.Map;

/**
 * How an export reads its streams: {@code threads} GetLogEvents calls at most in flight at once (0, the default: the
 * sequential reader, one page at a time when the merge needs it), started at most {@code pagesPerSecond} a second (0: no local
 * limit).
 *
 * <p>The default rate is the account's GetLogEvents quota, 25 requests per second per account and Region: one
 * export alone never throttles itself. (Several exports of one account still share that quota; see issue 11.)
 *
 * @see <a href="https://docs.aws.amazon.com/general/latest/gr/cwl_region.html">CloudWatch Logs endpoints and quotas</a>
 */
public record ReadAheadSettings(int threads, double pagesPerSecond) {

    /** Threads to use when read-ahead is switched on ({@code LOG_READ_AHEAD_THREADS=16} is what the benchmark ran). */
    public static final int SUGGESTED_THREADS = 16;
    public static final double GET_LOG_EVENTS_QUOTA = 25;
    /**
     * Experimental, so off unless {@code LOG_READ_AHEAD_THREADS} says otherwise: with throttling injected by
     * FaultInjectionIT the faults spread over concurrent calls and the SDK's own retries absorb them, so that IT's
     * "our own backoff ran" expectation does not hold with read-ahead on (see docs/worker.md).
     */
    public static final ReadAheadSettings DEFAULT = new ReadAheadSettings(0, GET_LOG_EVENTS_QUOTA);

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
