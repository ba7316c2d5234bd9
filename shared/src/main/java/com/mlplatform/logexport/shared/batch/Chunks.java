package com.mlplatform.logexport.shared.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/** Splits work into the chunks a batch API accepts and runs one blocking call per chunk in parallel. */
public final class Chunks {

    private Chunks() {
    }

    /** Consecutive chunks of at most {@code size} elements, in order. */
    public static <T> List<List<T>> of(List<T> all, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1");
        }
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(List.copyOf(all.subList(i, Math.min(all.size(), i + size))));
        }
        return out;
    }

    /**
     * Runs {@code call} once per input on {@code pool} and returns the results in input order. The first failure
     * (in input order) is rethrown as it is, after every call has ended.
     */
    public static <T, R> List<R> inParallel(Executor pool, List<T> inputs, Function<T, R> call) {
        List<CompletableFuture<R>> futures = new ArrayList<>(inputs.size());
        for (T input : inputs) {
            futures.add(CompletableFuture.supplyAsync(() -> call.apply(input), pool));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        List<R> results = new ArrayList<>(inputs.size());
        for (CompletableFuture<R> f : futures) {
            try {
                results.add(f.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        return results;
    }

    /** {@link #of} then {@link #inParallel}: one call per chunk, results per chunk in order. */
    public static <T, R> List<R> inParallel(Executor pool, List<T> all, int size, Function<List<T>, R> call) {
        return inParallel(pool, of(all, size), call);
    }
}
