package com.mlplatform.logexport.api.accept;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/** Runs one blocking AWS call per element on the shared pool and collects the results in input order. */
final class Parallel {

    private Parallel() {
    }

    static <T, R> List<R> map(ExecutorService pool, List<T> inputs, Function<T, R> call) {
        List<CompletableFuture<R>> futures = new ArrayList<>(inputs.size());
        for (T input : inputs) {
            futures.add(CompletableFuture.supplyAsync(() -> call.apply(input), pool));
        }
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

    static <T> List<List<T>> chunks(List<T> all, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(List.copyOf(all.subList(i, Math.min(all.size(), i + size))));
        }
        return out;
    }
}
