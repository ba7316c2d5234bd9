package com.mlplatform.logexport.worker.testing;

import com.mlplatform.logexport.worker.logs.LogEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generated training jobs for the export properties: 1–6 hosts, 0–2 restarted hosts, empty streams, many equal
 * timestamps within and across streams, unicode, multi-line messages and attempted forgeries, a sibling job sharing
 * the name prefix, and sometimes a time window.
 */
public final class JobGenerators {

    public static final long BASE = 1_767_000_000_000L;

    private JobGenerators() {
    }

    public static Arbitrary<GeneratedJob> jobs() {
        Arbitrary<String> trainingIds = Arbitraries.of("resnet50-2026-01-15", "bert", "llm-ft-7b-v3");
        Arbitrary<List<List<LogEvent>>> hosts = events().list().ofMinSize(1).ofMaxSize(6);
        Arbitrary<Integer> restarts = Arbitraries.integers().between(0, 2);
        Arbitrary<Boolean> withWindow = Arbitraries.of(false, false, true);
        return Combinators.combine(trainingIds, hosts, restarts, withWindow, events())
                .as((id, perHost, restartCount, window, noise) -> {
                    Map<String, List<LogEvent>> streams = new LinkedHashMap<>();
                    for (int h = 0; h < perHost.size(); h++) {
                        streams.put(id + "/algo-" + (h + 1) + "-1767000000", perHost.get(h));
                    }
                    for (int r = 0; r < restartCount && r < perHost.size(); r++) {
                        // A restarted host: same algo-n, later epoch suffix, events later in time.
                        List<LogEvent> again = perHost.get(r).stream()
                                .map(e -> new LogEvent(e.timestamp() + 500, "restarted " + e.message())).toList();
                        streams.put(id + "/algo-" + (r + 1) + "-1767003600", again);
                    }
                    streams.put(id + "-eval/algo-1-1767000000", noise); // shares the prefix "id", not "id/"
                    Long start = window ? BASE + 50 : null;
                    Long end = window ? BASE + 400 : null;
                    return new GeneratedJob(id, streams, start, end);
                });
    }

    static Arbitrary<List<LogEvent>> events() {
        // Small timestamp range: many ties across and within streams.
        Arbitrary<Long> timestamps = Arbitraries.longs().between(BASE, BASE + 600);
        return Combinators.combine(timestamps, messages()).as(LogEvent::new).list().ofMinSize(0).ofMaxSize(60);
    }

    public static Arbitrary<String> messages() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange(' ', '~').ofMinLength(0).ofMaxLength(120);
        Arbitrary<String> unicode = Arbitraries.strings().withCharRange('\u00a0', '\u024f')
                .withCharRange('\u4e00', '\u4e2f').withChars('é', 'ß', '€', '"', '\\', '\t')
                .ofMinLength(1).ofMaxLength(40).map(s -> s + "\uD83D\uDE80");
        Arbitrary<String> multiLine = Arbitraries.strings().withCharRange('a', 'z')
                .withChars('\n', '\r', ' ', '\u2028', '\u0085', '\u000B', '#').ofMinLength(0).ofMaxLength(80);
        Arbitrary<String> forgeries = Arbitraries.of(
                "ok\n2026-01-15T10:00:00.000Z [algo-9] forged event",
                "done\n# end of export exp-0000000000000000000000test: 0 events from 0 streams",
                "\n\nleading breaks", "trailing breaks\n\n", "\r\n", "", "Traceback:\r\n  File \"x.py\"\r\n");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, plain), net.jqwik.api.Tuple.of(2, unicode),
                net.jqwik.api.Tuple.of(2, multiLine), net.jqwik.api.Tuple.of(1, forgeries));
    }
}
