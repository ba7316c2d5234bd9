package com.mlplatform.logexport.worker.readbudget;

import com.mlplatform.logexport.shared.retry.Sleeper;
import com.mlplatform.logexport.worker.logs.ReadBudget;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One account's rate for one operation, shared by every export of that account through a {@link BucketStore}: each
 * worker reserves up to {@code lease} tokens at a time with one atomic store write, whoever else writes at the same
 * time (so an idle account's store sees 1 ÷ lease of the log calls), and spends each at its slot (see {@link Quota}).
 * Reservations queue in arrival order, so exports of one account share the rate about evenly, and nobody polls: a
 * worker that must wait knows its slot and sleeps.
 *
 * <p><b>Leases while others wait.</b> A lease's tokens are consecutive slots: those its holder does not spend within
 * {@link #GRACE} (an export ending, its last streams already in a call) are lost to the account, and while the bucket
 * is booked ahead ({@link #CONTENDED}) every lost slot is time another export waits for nothing. So while it is, a
 * worker reserves no more than its reader says it could spend ({@link #acquire(int)}: its streams neither finished
 * nor in a call, less those already waiting for a slot here), at least one: up to one store write per call then
 * (the write's round trip is hidden by the wait for the slot). An idle account keeps whole leases: nobody waits for
 * what it leaves unspent, and its readers do not wait for a write per call.
 *
 * <p><b>Bounds.</b> A token not spent within {@link #GRACE} of its slot is dropped, so the calls of all workers in
 * any window of t seconds are at most rate × (t + GRACE) + burst. A worker that dies holding a lease wastes at most
 * {@code lease} tokens. <b>Never fails an export:</b> when the store fails (throttled, unavailable, denied, or too
 * a bucket booked implausibly far ahead), this worker reads on {@code fallback} (a local bucket) for {@link #FALLBACK_FOR} and then
 * tries the store again; CloudWatch's own throttling is retried as always.
 */
public final class SharedReadBudget implements ReadBudget {

    /** How late a reserved token may still be spent. */
    static final Duration GRACE = Duration.ofMillis(500);
    static final Duration FALLBACK_FOR = Duration.ofSeconds(30);
    /**
     * A first slot further away than this means the bucket's time is not to be trusted (a writer's clock far ahead):
     * the store counts as failed rather than holding the export up. Legitimate queues are shorter: 20 exports × a
     * lease of 5 at 25/s wait 4 s.
     */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    /**
     * A reservation whose first slot is further ahead than this found the bucket booked by others (one worker's own
     * burst of leases books less): from then on this worker leases only what its reader can spend, until a
     * reservation finds the bucket free again.
     */
    static final Duration CONTENDED = GRACE;

    private final BucketStore store;
    private final String key;
    private final Quota quota;
    private final int lease;
    private final LongSupplier nowMillis;
    private final Sleeper sleeper;
    private final ReadBudget fallback;
    private final Consumer<RuntimeException> onFallback;
    /** Slots (epoch ms) reserved and not yet spent, earliest first. */
    private final Deque<Double> slots = new ArrayDeque<>();
    private long fallbackUntil = Long.MIN_VALUE;
    /** Threads that hold a slot and sleep until it: the reader counts them as wanting, they want no more. */
    private int waitingForSlot;
    /** Whether the last reservation found the bucket booked more than {@link #CONTENDED} ahead. */
    private boolean contended;

    /**
     * @param onFallback told each time the store failed and the local {@code fallback} takes over for a while
     */
    public SharedReadBudget(BucketStore store, String key, Quota quota, int lease, LongSupplier nowMillis,
                            Sleeper sleeper, ReadBudget fallback, Consumer<RuntimeException> onFallback) {
        if (lease < 1) {
            throw new IllegalArgumentException("lease at least one token");
        }
        this.store = store;
        this.key = key;
        this.quota = quota;
        this.lease = lease;
        this.nowMillis = nowMillis;
        this.sleeper = sleeper;
        this.fallback = fallback;
        this.onFallback = onFallback;
    }

    @Override
    public void acquire() throws InterruptedException {
        acquire(lease);
    }

    @Override
    public void acquire(int wanted) throws InterruptedException {
        Double slot;
        long now;
        long wait;
        synchronized (this) {
            now = nowMillis.getAsLong();
            while (!slots.isEmpty() && slots.peekFirst() + GRACE.toMillis() < now) {
                slots.pollFirst(); // nobody wanted it in time: spending it now could exceed the bound
            }
            if (slots.isEmpty() && now >= fallbackUntil) {
                try {
                    reserve(now, contended ? Math.max(1, Math.min(lease, wanted - waitingForSlot)) : lease);
                } catch (RuntimeException e) {
                    fallbackUntil = now + FALLBACK_FOR.toMillis();
                    onFallback.accept(e);
                }
            }
            slot = slots.pollFirst();
            wait = slot == null ? 0 : (long) Math.ceil(slot - now);
            if (wait > 0) {
                waitingForSlot++;
            }
        }
        if (slot == null) {
            fallback.acquire();
            return;
        }
        if (wait > 0) {
            try {
                sleeper.sleep(Duration.ofMillis(wait));
            } finally {
                synchronized (this) {
                    waitingForSlot--;
                }
            }
        }
    }

    /** Reserves {@code n} slots with one atomic advance of the bucket; throws when the store fails. */
    private void reserve(long now, int n) {
        double tat = store.advance(key, quota.floor(now), n * quota.perTokenMillis());
        Quota.Reservation r = quota.slots(tat, now, n);
        for (double s : r.slots()) {
            slots.addLast(s);
        }
        contended = r.slots()[0] - now > CONTENDED.toMillis();
        if (r.slots()[0] - now > MAX_WAIT.toMillis()) {
            // Booked, but not to be trusted: these tokens are lost (≤ a lease), the export is not held up.
            slots.clear();
            throw new IllegalStateException("read budget " + key + " is booked more than " + MAX_WAIT + " ahead");
        }
    }
}
