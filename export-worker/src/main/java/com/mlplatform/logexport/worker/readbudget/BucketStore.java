package com.mlplatform.logexport.worker.readbudget;

/**
 * Where an account's bucket lives, shared by every worker: one number per bucket, its arrival time (see
 * {@link Quota}), advanced atomically. DynamoDB in production ({@link DynamoBucketStore}), a map in tests.
 */
public interface BucketStore {

    /**
     * Atomically sets bucket {@code key}'s arrival time to max(stored, {@code floor}) + {@code increment} (a missing
     * bucket counts as {@code floor}) and returns the new value. Throws on any failure of the store itself
     * (throttled, unavailable, denied).
     */
    double advance(String key, double floor, double increment);
}
