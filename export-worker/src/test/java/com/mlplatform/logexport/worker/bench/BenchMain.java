package com.mlplatform.logexport.worker.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link MergeFormatBenchmark} with JMH and turns "jobs per second" into events/s, MB/s and the ratio to raw
 * concatenation. Not part of {@code ./mvnw verify}: see docs/worker.md for the command.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(MergeFormatBenchmark.class.getSimpleName()).build()).run();
        MergeFormatBenchmark sizing = new MergeFormatBenchmark();
        sizing.eventsPerStream = 12_500;
        sizing.setUp();
        long events = sizing.events();
        Map<String, Long> bytes = Map.of(
                "mergeAndFormatText", sizing.mergeAndFormatText(),
                "mergeAndFormatJsonLines", sizing.mergeAndFormatJsonLines(),
                "rawConcatenation", sizing.rawConcatenation(),
                "mergeOnly", 0L);
        Map<String, Double> eventsPerSecond = new HashMap<>();
        System.out.println();
        System.out.printf("%-26s %14s %12s %10s%n", "benchmark", "events/s", "MB/s out", "ops/s");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            double ops = r.getPrimaryResult().getScore();
            eventsPerSecond.put(name, ops * events);
            System.out.printf("%-26s %,14.0f %12.1f %10.2f%n", name, ops * events, ops * bytes.get(name) / 1e6, ops);
        }
        double raw = eventsPerSecond.get("rawConcatenation");
        System.out.printf("%nmerge+text is %.2fx slower than raw concatenation; merge+JSON Lines %.2fx (events/s)%n",
                raw / eventsPerSecond.get("mergeAndFormatText"), raw / eventsPerSecond.get("mergeAndFormatJsonLines"));
        System.out.printf("(%,d events from %d streams per operation)%n", events, MergeFormatBenchmark.STREAMS);
    }
}
