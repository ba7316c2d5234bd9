package com.mlplatform.logexport.worker.readbudget;

import java.util.Map;

/**
 * The account's read quotas as the worker budgets them, read once from the environment.
 *
 * @param getLogEventsPerSecond       {@code LOG_READ_RATE}: GetLogEvents calls a second per account and Region, shared
 *                                    by all its exports (default 25, the documented quota; 0: no budget)
 * @param describeLogStreamsPerSecond {@code LOG_LIST_RATE}: the same for DescribeLogStreams (default 5, the figure
 *                                    the API reference states; 0: no budget)
 * @param lease                       {@code LOG_READ_LEASE}: GetLogEvents tokens a worker reserves per write to the
 *                                    shared bucket (default 5: the table sees about a fifth of the log calls)
 * @param shared                      {@code LOG_READ_BUDGET}: {@code shared} (default) — one bucket per account in the
 *                                    exports table — or {@code local}, a bucket per worker container
 * @see <a href="https://docs.aws.amazon.com/general/latest/gr/cwl_region.html">CloudWatch Logs endpoints and quotas</a>
 * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html">DescribeLogStreams</a>
 */
public record ReadBudgetSettings(double getLogEventsPerSecond, double describeLogStreamsPerSecond, int lease,
                                 boolean shared) {

    public static final String ENV_READ_RATE = "LOG_READ_RATE";
    public static final String ENV_LIST_RATE = "LOG_LIST_RATE";
    public static final String ENV_LEASE = "LOG_READ_LEASE";
    public static final String ENV_BUDGET = "LOG_READ_BUDGET";
    public static final ReadBudgetSettings DEFAULT = new ReadBudgetSettings(25, 5, 5, true);

    public ReadBudgetSettings {
        if (getLogEventsPerSecond < 0 || describeLogStreamsPerSecond < 0 || lease < 1) {
            throw new IllegalArgumentException("read rates must not be negative and the lease at least 1");
        }
    }

    /** From {@code env}; each variable may be overridden by a system property of the same name (the benchmark). */
    public static ReadBudgetSettings from(Map<String, String> env) {
        String budget = value(env, ENV_BUDGET, "shared");
        if (!budget.equals("shared") && !budget.equals("local")) {
            throw new IllegalArgumentException(ENV_BUDGET + " must be shared or local, got " + budget);
        }
        return new ReadBudgetSettings(
                Double.parseDouble(value(env, ENV_READ_RATE, Double.toString(DEFAULT.getLogEventsPerSecond))),
                Double.parseDouble(value(env, ENV_LIST_RATE, Double.toString(DEFAULT.describeLogStreamsPerSecond))),
                Integer.parseInt(value(env, ENV_LEASE, Integer.toString(DEFAULT.lease))),
                budget.equals("shared"));
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String value = System.getProperty(name, env.get(name));
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
