package com.mlplatform.logexport.worker.readbudget;

import com.mlplatform.logexport.shared.retry.Sleeper;
import com.mlplatform.logexport.worker.logs.ReadBudget;
import com.mlplatform.logexport.worker.logs.TokenBucket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The read budgets of every account this worker container reads from, built once per container and kept across
 * invocations (a lease reserved by one invocation is spent by the next). Quotas are per account and Region, so two
 * use cases in two accounts never share a bucket; exports of one account always do.
 */
public final class ReadBudgets {

    static final String GET_LOG_EVENTS = "GetLogEvents";
    static final String DESCRIBE_LOG_STREAMS = "DescribeLogStreams";

    /** One account's budgets: GetLogEvents pages and DescribeLogStreams pages. */
    public record Account(ReadBudget pages, ReadBudget listings) {
    }

    private final ReadBudgetSettings settings;
    private final BucketStore store;
    private final LongSupplier nowMillis;
    private final Sleeper sleeper;
    private final Consumer<RuntimeException> onFallback;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    public ReadBudgets(ReadBudgetSettings settings, BucketStore store, LongSupplier nowMillis, Sleeper sleeper,
                       Consumer<RuntimeException> onFallback) {
        this.settings = settings;
        this.store = store;
        this.nowMillis = nowMillis;
        this.sleeper = sleeper;
        this.onFallback = onFallback;
    }

    public Account forAccount(String accountId, String region) {
        return accounts.computeIfAbsent(accountId + "#" + region, k -> new Account(
                budget(accountId, region, GET_LOG_EVENTS, settings.getLogEventsPerSecond(), settings.lease()),
                budget(accountId, region, DESCRIBE_LOG_STREAMS, settings.describeLogStreamsPerSecond(), 1)));
    }

    private ReadBudget budget(String accountId, String region, String operation, double perSecond, int lease) {
        if (perSecond == 0) {
            return ReadBudget.UNLIMITED;
        }
        // The local bucket is the whole budget when not shared, and the fallback when the shared one fails.
        TokenBucket local = new TokenBucket(perSecond, Math.max(1, perSecond));
        if (!settings.shared()) {
            return local;
        }
        // Burst = one lease: after an idle spell the account's exports start with at most a lease at once, so with
        // GRACE the calls in any t seconds stay within rate × (t + 0.5 s) + lease, under a 1-second bucket's allowance.
        return new SharedReadBudget(store, DynamoBucketStore.key(accountId, region, operation),
                new Quota(perSecond, lease), lease, nowMillis, sleeper, local, onFallback);
    }
}
