package com.mlplatform.logexport.worker.readbudget;

import java.util.HashMap;
import java.util.Map;

/** The store as DynamoDB's conditional updates behave: each advance atomic, and counted. */
final class InMemoryBucketStore implements BucketStore {

    private final Map<String, Double> buckets = new HashMap<>();
    int writes;

    @Override
    public synchronized double advance(String key, double floor, double increment) {
        writes++;
        double next = Math.max(buckets.getOrDefault(key, floor), floor) + increment;
        buckets.put(key, next);
        return next;
    }

    synchronized void set(String key, double tat) {
        buckets.put(key, tat);
    }
}
