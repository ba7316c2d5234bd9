package com.mlplatform.logexport.api.accept;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link GuardTable} in a map, with DynamoDB's transaction semantics (all-or-nothing, one reason per item), plus
 * what moto never does: conflicts on chosen keys and a call whose outcome is unknown.
 */
final class InMemoryGuardTable implements GuardTable {

    final Map<String, Guard> guards = new ConcurrentHashMap<>();
    final List<Integer> transactionSizes = Collections.synchronizedList(new ArrayList<>());
    final List<String> deleted = Collections.synchronizedList(new ArrayList<>());
    /** Conflicts to report, per dedupe key, before a transaction touching it may go through. */
    final Map<String, AtomicInteger> conflicts = new ConcurrentHashMap<>();
    /** Thrown by every transaction when set (after counting it). */
    volatile RuntimeException failWith;

    @Override
    public synchronized Transaction putAllIfFree(List<Guard> batch) {
        if (batch.isEmpty() || batch.size() > MAX_TRANSACTION) {
            throw new IllegalArgumentException("a transaction takes 1 to " + MAX_TRANSACTION + " guards");
        }
        transactionSizes.add(batch.size());
        if (failWith != null) {
            throw failWith;
        }
        List<Reason> reasons = new ArrayList<>();
        boolean cancelled = false;
        for (Guard g : batch) {
            AtomicInteger conflict = conflicts.get(g.dedupeKey());
            if (guards.containsKey(g.dedupeKey())) {
                reasons.add(new Reason(Kind.HELD, Optional.of(guards.get(g.dedupeKey())), "ConditionalCheckFailed"));
                cancelled = true;
            } else if (conflict != null && conflict.getAndDecrement() > 0) {
                reasons.add(new Reason(Kind.RETRY_LATER, Optional.empty(), "TransactionConflict"));
                cancelled = true;
            } else {
                reasons.add(new Reason(Kind.COLLATERAL, Optional.empty(), "None"));
            }
        }
        if (cancelled) {
            return new Cancelled(reasons);
        }
        batch.forEach(g -> guards.put(g.dedupeKey(), g));
        return new Committed();
    }

    @Override
    public synchronized Write put(Guard guard, String expectedOwner) {
        Guard current = guards.get(guard.dedupeKey());
        boolean free = expectedOwner == null ? current == null
                : current != null && Objects.equals(current.owner(), expectedOwner);
        if (!free) {
            return new Refused(Optional.ofNullable(current));
        }
        guards.put(guard.dedupeKey(), guard);
        return new Written();
    }

    @Override
    public synchronized void deleteIfOwner(String dedupeKey, String owner) {
        deleted.add(dedupeKey);
        guards.computeIfPresent(dedupeKey, (k, g) -> g.owner().equals(owner) ? null : g);
    }
}
