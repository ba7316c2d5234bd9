package com.mlplatform.logexport.worker.readbudget;

/**
 * One account's rate for one operation, as a token bucket seen through its theoretical arrival time (GCRA): the
 * bucket is the time {@code tat} at which every token handed out so far is paid for at {@code perSecond}, and it may
 * lend up to {@code burst} tokens ahead of now.
 *
 * <p>Reserving {@code n} tokens at {@code now} moves {@code tat} forward by n ÷ rate, from no earlier than
 * now − burst ÷ rate (a full bucket holds no more than {@code burst}); the k-th token of the reservation may be
 * spent from {@code start + (k + 1) ÷ rate} on (and not before the reservation). Those "paid" times are one schedule
 * at least 1 ÷ rate apart, and a token whose slot falls in a window [a, a + t] was paid after a − burst ÷ rate; so
 * any window of t seconds holds at most rate × t + burst slots, whoever reserved them, in whatever order the
 * reservations reached the store ({@code QuotaProperties}).
 */
public record Quota(double perSecond, double burst) {

    public Quota {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be positive and burst at least 1");
        }
    }

    /** {@code n} tokens reserved on the bucket whose arrival time is {@code tat}: the new arrival time and the slots. */
    public Reservation reserve(double tat, double nowMillis, int n) {
        return slots(Math.max(tat, floor(nowMillis)) + n * perTokenMillis(), nowMillis, n);
    }

    /** The earliest arrival time a bucket can have at {@code nowMillis}: a full bucket holds {@code burst} tokens. */
    public double floor(double nowMillis) {
        return nowMillis - burst * perTokenMillis();
    }

    public double perTokenMillis() {
        return 1000 / perSecond;
    }

    /** The slots of the {@code n} tokens a reservation made at {@code nowMillis} that moved the arrival time to {@code tat}. */
    public Reservation slots(double tat, double nowMillis, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("reserve at least one token");
        }
        double start = tat - n * perTokenMillis();
        double[] slots = new double[n];
        for (int k = 0; k < n; k++) {
            slots[k] = Math.max(nowMillis, start + (k + 1) * perTokenMillis());
        }
        return new Reservation(tat, slots);
    }

    /** The bucket's arrival time after a reservation, and when each reserved token may be spent (epoch ms). */
    public record Reservation(double tat, double[] slots) {
    }
}
