package com.mlplatform.logexport.worker.readbudget;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.retry.Sleeper;
import com.mlplatform.logexport.worker.logs.ReadBudget;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SharedReadBudgetTest {

    private static final String KEY = "111122223333#eu-west-1#GetLogEvents";

    /** Twelve workers on real threads, each with its own budget object, one store: the rate holds and is shared. */
    @Test
    void concurrentWorkers_stayWithinTheRate_andShareItAboutEvenly() throws Exception {
        int perSecond = 100;
        int lease = 5;
        InMemoryBucketStore store = new InMemoryBucketStore();
        List<Long> spent = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger[] perWorker = new AtomicInteger[12];
        long until = System.currentTimeMillis() + 2_000;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < perWorker.length; w++) {
            AtomicInteger count = perWorker[w] = new AtomicInteger();
            SharedReadBudget budget = new SharedReadBudget(store, KEY, new Quota(perSecond, lease), lease,
                    System::currentTimeMillis, Sleeper.THREAD, ReadBudget.UNLIMITED, e -> {
                        throw new AssertionError(e);
                    });
            threads.add(startThread(() -> {
                try {
                    while (System.currentTimeMillis() < until) {
                        budget.acquire();
                        spent.add(System.currentTimeMillis());
                        count.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }

        long first = spent.stream().mapToLong(Long::longValue).min().orElseThrow();
        long last = spent.stream().mapToLong(Long::longValue).max().orElseThrow();
        double seconds = (last - first) / 1000.0;
        assertThat((double) spent.size()).as("never above rate × (t + grace) + burst")
                .isLessThanOrEqualTo(perSecond * (seconds + SharedReadBudget.GRACE.toMillis() / 1000.0) + lease);
        // When the workers stop, each may hold a lease it reserved and never spends.
        assertThat((double) spent.size() + perWorker.length * lease).as("and uses the rate")
                .isGreaterThanOrEqualTo(0.9 * perSecond * seconds);
        double fair = spent.size() / (double) perWorker.length;
        for (AtomicInteger count : perWorker) {
            assertThat((double) count.get()).as("each worker's share of %d", spent.size())
                    .isBetween(0.5 * fair, 1.5 * fair);
        }
        assertThat(store.writes).as("one store write per lease, however many workers write at once")
                .isLessThanOrEqualTo(spent.size() / lease + perWorker.length);
    }

    private static Thread startThread(Runnable body) {
        Thread t = new Thread(body, "worker");
        t.start();
        return t;
    }

    @Test
    void aFailingStore_fallsBackToTheLocalBucket_forAWhile_thenTriesAgain() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000);
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger local = new AtomicInteger();
        List<RuntimeException> reported = new ArrayList<>();
        BucketStore throttled = (key, floor, increment) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("ProvisionedThroughputExceededException");
        };
        SharedReadBudget budget = new SharedReadBudget(throttled, KEY, new Quota(25, 5), 5, clock::get,
                d -> { }, local::incrementAndGet, reported::add);

        for (int i = 0; i < 10; i++) {
            budget.acquire();
        }
        clock.addAndGet(SharedReadBudget.FALLBACK_FOR.toMillis());
        budget.acquire();

        assertThat(local).as("every token came from the local bucket").hasValue(11);
        assertThat(calls).as("the store is asked once, then again after the fallback period").hasValue(2);
        assertThat(reported).hasSize(2);
    }

    @Test
    void aBucketBookedFarAhead_isNotWaitedFor_butFallsBack() throws Exception {
        InMemoryBucketStore store = new InMemoryBucketStore();
        long now = 1_000_000;
        store.set(KEY, now + 3_600_000); // a writer whose clock is an hour ahead
        List<Long> slept = new ArrayList<>();
        AtomicInteger local = new AtomicInteger();
        SharedReadBudget budget = new SharedReadBudget(store, KEY, new Quota(25, 5), 5, () -> now,
                d -> slept.add(d.toMillis()), local::incrementAndGet, e -> { });

        budget.acquire();

        assertThat(slept).isEmpty();
        assertThat(local).hasValue(1);
    }

    @Test
    void whileOthersWait_aWorkerLeasesOnlyWhatItsReaderCanSpend() throws Exception {
        InMemoryBucketStore store = new InMemoryBucketStore();
        long now = 1_000_000;
        store.set(KEY, now + 3_000); // other exports of the account hold the next 3 s
        List<Double> leased = new ArrayList<>();
        BucketStore recording = (key, floor, increment) -> {
            leased.add(increment / 40); // 25/s: 40 ms a token
            return store.advance(key, floor, increment);
        };
        SharedReadBudget budget = new SharedReadBudget(recording, KEY, new Quota(25, 5), 5, () -> now, d -> { },
                ReadBudget.UNLIMITED, e -> {
                    throw new AssertionError(e);
                });

        budget.acquire(8); // not yet known to be contended: a whole lease
        for (int i = 0; i < 4; i++) {
            budget.acquire(7 - i);
        }
        budget.acquire(2); // the reader's last two streams
        budget.acquire(1);

        assertThat(leased).containsExactly(5.0, 2.0);
    }

    @Test
    void anIdleAccount_keepsWholeLeases_whateverTheReaderWants() throws Exception {
        InMemoryBucketStore store = new InMemoryBucketStore();
        AtomicLong clock = new AtomicLong(1_000_000);
        List<Double> leased = new ArrayList<>();
        BucketStore recording = (key, floor, increment) -> {
            leased.add(increment / 40);
            return store.advance(key, floor, increment);
        };
        SharedReadBudget budget = new SharedReadBudget(recording, KEY, new Quota(25, 5), 5, clock::get,
                d -> clock.addAndGet(d.toMillis()), ReadBudget.UNLIMITED, e -> {
                    throw new AssertionError(e);
                });

        for (int i = 0; i < 6; i++) {
            budget.acquire(1); // one stream, nobody else: a write per lease, not per call
        }

        assertThat(leased).containsExactly(5.0, 5.0);
    }

    @Test
    void twoAccounts_haveTwoBuckets() throws Exception {
        InMemoryBucketStore store = new InMemoryBucketStore();
        List<Long> slept = new ArrayList<>();
        ReadBudgets budgets = new ReadBudgets(new ReadBudgetSettings(25, 5, 5, true), store, () -> 1_000_000L,
                d -> slept.add(d.toMillis()), e -> { });

        // Each account may spend its burst (one lease) at once: neither waits for the other.
        for (String account : List.of("111111111111", "222222222222")) {
            ReadBudget pages = budgets.forAccount(account, "eu-west-1").pages();
            for (int i = 0; i < 5; i++) {
                pages.acquire();
            }
        }

        assertThat(slept).as("one account's burst never waits for the other's").isEmpty();
        assertThat(store.writes).as("one lease each").isEqualTo(2);
        assertThat(budgets.forAccount("111111111111", "eu-west-1"))
                .isSameAs(budgets.forAccount("111111111111", "eu-west-1"));
    }
}
