package com.mlplatform.logexport.worker.readbudget;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.worker.logs.ReadBudget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The shared bucket's guarantees over generated schedules: many clients, each with its own lease and its own (stale)
 * view of the bucket, call at generated times in a generated order against one compare-and-set store; some crash
 * holding a lease. Spent tokens never exceed rate × (t + grace) + burst in any window; a crash costs at most a lease.
 */
class QuotaProperties {

    /** One call: which client asks for a token, and how long after the previous call. */
    record Step(int client, int afterMillis) {
    }

    @Provide
    Arbitrary<List<Step>> schedules() {
        return Combinators.combine(Arbitraries.integers().between(0, 19), Arbitraries.integers().between(0, 120))
                .as(Step::new).list().ofMinSize(1).ofMaxSize(400);
    }

    @Property(tries = 300)
    void spentTokens_neverExceedRateTimesWindowPlusBurst_acrossManyClients(
            @ForAll("schedules") List<Step> schedule, @ForAll @IntRange(min = 5, max = 100) int perSecond,
            @ForAll @IntRange(min = 1, max = 10) int lease, @ForAll @IntRange(min = 0, max = 19) int crashed) {
        Run run = new Run(perSecond, lease);
        for (Step step : schedule) {
            run.clock.addAndGet(step.afterMillis());
            // A crashed client took its lease and was never heard of again; a client still sleeping until its
            // slot cannot ask again (one thread per client).
            boolean crashedAlready = step.client() == crashed
                    && run.spent.stream().anyMatch(s -> s.client() == crashed);
            if (!crashedAlready && run.busyUntil[step.client()] <= run.clock.get()) {
                // What its reader says it could spend, 1–8: while the bucket is booked ahead, leases of 1 to lease.
                run.acquire(step.client(), 1 + step.afterMillis() % 8);
            }
        }

        double[] times = run.spent.stream().mapToDouble(Spent::atMillis).sorted().toArray();
        // ReadBudgets lends one lease ahead (burst = lease); a token may be spent up to GRACE after its slot.
        assertFullestWindowWithin(times, perSecond, SharedReadBudget.GRACE.toMillis(), lease);
    }

    private static void assertFullestWindowWithin(double[] times, int perSecond, long graceMillis, int burst) {
        String worst = "none";
        double worstExcess = Double.NEGATIVE_INFINITY;
        for (int last = 0; last < times.length; last++) {
            for (int first = 0; first <= last; first++) {
                double window = times[last] - times[first];
                double excess = (last - first + 1) - (perSecond * (window + graceMillis) / 1000 + burst);
                if (excess > worstExcess) {
                    worstExcess = excess;
                    worst = (last - first + 1) + " tokens in " + window + " ms";
                }
            }
        }
        assertThat(worstExcess).as("the fullest window: %s", worst).isLessThanOrEqualTo(1e-6);
    }

    /**
     * The schedule itself, without the grace a late spender gets: reservations of many clients through one store,
     * every slot spent exactly on time, never more than rate × t + burst in any window of t.
     */
    @Property(tries = 300)
    void reservedSlots_neverExceedRateTimesWindowPlusBurst(
            @ForAll("schedules") List<Step> schedule, @ForAll @IntRange(min = 1, max = 100) int perSecond,
            @ForAll @IntRange(min = 1, max = 10) int lease) {
        Quota quota = new Quota(perSecond, lease);
        InMemoryBucketStore store = new InMemoryBucketStore();
        List<Double> slots = new ArrayList<>();
        long now = 1_000_000;
        for (Step step : schedule) {
            now += step.afterMillis();
            // Reservations of 1 to lease tokens, as contended workers make them; the burst stays one whole lease.
            int n = 1 + step.client() % lease;
            double tat = store.advance("k", quota.floor(now), n * quota.perTokenMillis());
            Arrays.stream(quota.slots(tat, now, n).slots()).forEach(slots::add);
        }

        assertFullestWindowWithin(slots.stream().mapToDouble(Double::doubleValue).sorted().toArray(), perSecond,
                0, lease);
    }

    @Property(tries = 300)
    void aCrashedHoldersLease_delaysEveryoneElseByAtMostOneLease(
            @ForAll("schedules") List<Step> schedule, @ForAll @IntRange(min = 1, max = 100) int perSecond,
            @ForAll @IntRange(min = 1, max = 10) int lease) {
        Quota quota = new Quota(perSecond, lease);
        double[] withCrash = slotsAfter(quota, schedule, lease, true);
        double[] without = slotsAfter(quota, schedule, lease, false);
        double oneLease = lease * 1000.0 / perSecond;
        for (int i = 0; i < without.length; i++) {
            assertThat(withCrash[i] - without[i]).as("slot %d", i).isBetween(-1e-6, oneLease + 1e-6);
        }
    }

    /** Every slot reserved after the first step, with or without one lease reserved (and never spent) at the start. */
    private static double[] slotsAfter(Quota quota, List<Step> schedule, int lease, boolean crashFirst) {
        double tat = Double.NEGATIVE_INFINITY;
        long now = 0;
        if (crashFirst) {
            tat = quota.reserve(tat, now, lease).tat();
        }
        List<Double> slots = new ArrayList<>();
        for (Step step : schedule) {
            now += step.afterMillis();
            Quota.Reservation r = quota.reserve(tat, now, lease);
            tat = r.tat();
            Arrays.stream(r.slots()).forEach(slots::add);
        }
        return slots.stream().mapToDouble(Double::doubleValue).toArray();
    }

    record Spent(int client, double atMillis) {
    }

    /** Clients of one bucket on a manual clock; "sleeping" until a slot records the slot as the time spent. */
    private static final class Run {
        final AtomicLong clock = new AtomicLong(1_000_000);
        final InMemoryBucketStore store = new InMemoryBucketStore();
        final List<SharedReadBudget> clients = new ArrayList<>();
        final List<Spent> spent = new ArrayList<>();
        final long[] busyUntil = new long[20];
        private long slept;

        Run(int perSecond, int lease) {
            for (int c = 0; c < 20; c++) {
                clients.add(new SharedReadBudget(store, "acct#eu-west-1#GetLogEvents", new Quota(perSecond, lease),
                        lease, clock::get, d -> slept = d.toMillis(), ReadBudget.UNLIMITED, e -> {
                            throw new AssertionError("the store never fails here", e);
                        }));
            }
        }

        void acquire(int client, int wanted) {
            slept = 0;
            try {
                clients.get(client).acquire(wanted);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            spent.add(new Spent(client, clock.get() + slept));
            busyUntil[client] = clock.get() + slept;
        }
    }
}
