package com.mlplatform.logexport.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.retry.Sleeper;
import com.mlplatform.logexport.worker.logs.ReadBudget;
import com.mlplatform.logexport.worker.readbudget.DynamoBucketStore;
import com.mlplatform.logexport.worker.readbudget.Quota;
import com.mlplatform.logexport.worker.readbudget.SharedReadBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared read budget on the emulator's exports table: the conditional updates, and workers sharing a rate. */
class SharedReadBudgetIT {

    @RegisterExtension
    static final WorkerFixture fx = new WorkerFixture();

    private static DynamoBucketStore store() {
        return new DynamoBucketStore(fx.clients.dynamo(), fx.platform.resources().exportsTable());
    }

    @Test
    void advance_startsANewOrIdleBucketFromTheFloor_andAddsToABusyOne() {
        DynamoBucketStore store = store();
        String key = DynamoBucketStore.key("111122223333", "eu-west-1", "GetLogEvents-" + UUID.randomUUID());

        assertThat(store.advance(key, 1_000.5, 200)).as("new").isEqualTo(1_200.5);
        assertThat(store.advance(key, 1_100, 200)).as("busy: added to what is stored").isEqualTo(1_400.5);
        assertThat(store.advance(key, 5_000, 40)).as("idle: from the floor").isEqualTo(5_040);
        var item = fx.clients.dynamo().getItem(r -> r.tableName(fx.platform.resources().exportsTable())
                .key(Map.of("exportId", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(key)))
                .consistentRead(true)).item();
        assertThat(item).as("a bucket is not an export: no status, no index keys")
                .containsOnlyKeys("exportId", "tat", "expiresAt");
    }

    /**
     * Two accounts, three workers each (one budget object per worker, as per Lambda container), two threads per
     * worker asking as fast as they can for 3 s: each account gets its own rate, within the bound, shared about
     * evenly by its workers, and the table sees one write per lease.
     */
    @Test
    void workersOfOneAccount_shareItsRate_andAnotherAccountHasItsOwn() throws Exception {
        int perSecond = 20;
        int lease = 5;
        String run = UUID.randomUUID().toString();
        List<String> accounts = List.of("111111111111", "222222222222");
        Map<String, List<AtomicInteger>> perWorker = new ConcurrentHashMap<>();
        List<RuntimeException> fallbacks = new ArrayList<>();
        long until = System.currentTimeMillis() + 3_000;
        List<Thread> threads = new ArrayList<>();
        long[] firstAndLast = {Long.MAX_VALUE, 0};
        for (String account : accounts) {
            List<AtomicInteger> counts = new ArrayList<>();
            perWorker.put(account, counts);
            for (int w = 0; w < 3; w++) {
                AtomicInteger count = new AtomicInteger();
                counts.add(count);
                SharedReadBudget budget = new SharedReadBudget(store(),
                        DynamoBucketStore.key(account, "eu-west-1", "GetLogEvents-" + run), new Quota(perSecond, lease),
                        lease, System::currentTimeMillis, Sleeper.THREAD, ReadBudget.UNLIMITED, fallbacks::add);
                for (int t = 0; t < 2; t++) {
                    Thread thread = new Thread(() -> {
                        try {
                            while (System.currentTimeMillis() < until) {
                                budget.acquire();
                                long now = System.currentTimeMillis();
                                synchronized (firstAndLast) {
                                    firstAndLast[0] = Math.min(firstAndLast[0], now);
                                    firstAndLast[1] = Math.max(firstAndLast[1], now);
                                }
                                count.incrementAndGet();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    thread.start();
                    threads.add(thread);
                }
            }
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(fallbacks).as("the table never failed").isEmpty();
        double seconds = (firstAndLast[1] - firstAndLast[0]) / 1000.0;
        for (String account : accounts) {
            List<AtomicInteger> counts = perWorker.get(account);
            int total = counts.stream().mapToInt(AtomicInteger::get).sum();
            assertThat((double) total).as("account %s: within rate × (t + grace) + burst", account)
                    .isLessThanOrEqualTo(perSecond * (seconds + 0.5) + lease)
                    .as("account %s: its own rate, not half of a shared one (each worker may stop holding a lease)",
                            account)
                    .isGreaterThanOrEqualTo(0.8 * perSecond * seconds - counts.size() * lease);
            for (AtomicInteger c : counts) {
                assertThat((double) c.get()).as("account %s: a worker's share of %d", account, total)
                        .isBetween(total / 3.0 * 0.5, total / 3.0 * 1.5);
            }
        }
    }
}
