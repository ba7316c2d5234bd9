package com.mlplatform.logexport.worker.logs;

/** The optional time range of an export: start inclusive, end exclusive, epoch milliseconds; null means open. */
public record TimeWindow(Long startInclusive, Long endExclusive) {

    public static final TimeWindow ALL = new TimeWindow(null, null);

    public boolean contains(long timestamp) {
        return (startInclusive == null || timestamp >= startInclusive)
                && (endExclusive == null || timestamp < endExclusive);
    }

    public boolean isOpen() {
        return startInclusive == null && endExclusive == null;
    }
}
