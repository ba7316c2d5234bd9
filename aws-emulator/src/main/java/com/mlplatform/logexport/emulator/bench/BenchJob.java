package com.mlplatform.logexport.emulator.bench;

import com.mlplatform.logexport.emulator.UseCaseAccountSeeder;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic training job of the benchmarks: {@code streams} hosts of {@code eventsPerStream} one-line events of
 * about 80 bytes each, whose timestamps interleave (event i of host h at t0 + i × streams + h, all distinct), so a
 * correct merge has exactly one order.
 */
public record BenchJob(int streams, int eventsPerStream) {

    public String training() {
        return "bench-" + streams + "x" + eventsPerStream;
    }

    public long events() {
        return (long) streams * eventsPerStream;
    }

    /** Puts the job's streams ({@code <training>/algo-<n>-1700000000}, as SageMaker names them) into the account. */
    public void seed(UseCaseAccountSeeder seeder, String logGroup, long t0) {
        for (int h = 0; h < streams; h++) {
            List<Event> events = new ArrayList<>(eventsPerStream);
            for (int i = 0; i < eventsPerStream; i++) {
                events.add(new Event(t0 + (long) i * streams + h, "[host " + h + "] step " + i
                        + " loss=" + (1.0 / (i + 1)) + " lr=0.0003 throughput=1234.5 samples/s"));
            }
            seeder.putEvents(logGroup, training() + "/algo-" + (h + 1) + "-1700000000", events);
        }
    }

    @Override
    public String toString() {
        return String.format("%d × %,d", streams, eventsPerStream);
    }
}
