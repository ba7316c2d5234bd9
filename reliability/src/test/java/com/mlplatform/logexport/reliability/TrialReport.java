package com.mlplatform.logexport.reliability;

import com.mlplatform.logexport.reliability.fault.FaultKind;
import com.mlplatform.logexport.reliability.trial.TrialOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The suite's figures, as printed at the end of a run and written to {@code target/trials/summary.txt}: the numbers
 * docs/reliability.md quotes, with the command that reproduces them.
 */
final class TrialReport {

    static final List<String> KINDS = List.of("worker crash", "API crash", "faults");

    private TrialReport() {
    }

    static String summary(TrialSuite.Result r) {
        var b = new StringBuilder();
        b.append("Reliability trials, seed ").append(r.seed()).append(", ").append(r.took().toSeconds())
                .append(" s\n");
        b.append("Reproduce: ./mvnw -B -pl reliability -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dit.test=ReliabilityTrialsIT -Dtrials.seed=").append(r.seed()).append('\n');
        for (String kind : KINDS) {
            List<TrialOutcome> of = r.of(kind);
            long passed = of.stream().filter(TrialOutcome::passed).count();
            b.append(String.format("%-13s trials: %3d run, %3d passed, %3d failed, %3d SIGKILLs%n", kind, of.size(),
                    passed, of.size() - passed, of.stream().mapToLong(o -> o.kills().size()).sum()));
        }
        Map<String, int[]> byPoint = new TreeMap<>();
        for (TrialOutcome o : r.outcomes()) {
            for (String kill : o.kills()) {
                byPoint.computeIfAbsent(o.kind() + " at " + kill.split(" ")[0], k -> new int[2])[o.passed() ? 0 : 1]++;
            }
            for (String point : o.unreached()) {
                byPoint.computeIfAbsent(o.kind() + " armed, not reached: " + point, k -> new int[2])
                        [o.passed() ? 0 : 1]++;
            }
        }
        b.append("Kills by point (trials passed / failed):\n");
        byPoint.forEach((point, n) -> b.append(String.format("  %-60s %3d / %3d%n", point, n[0], n[1])));
        long faults = 0;
        b.append("Faults injected:");
        for (FaultKind kind : FaultKind.values()) {
            long n = r.faultsInjected().getOrDefault(kind.label(), 0L);
            faults += n;
            b.append(' ').append(kind.label()).append(' ').append(n).append(',');
        }
        long calls = r.faultedCalls().values().stream().mapToLong(Long::longValue).sum();
        b.append(" in all ").append(faults).append(" of ").append(calls).append(" calls ")
                .append(r.faultedCalls()).append('\n');
        r.faultsInjected().forEach((k, v) -> {
            if (k.contains(" ") && !k.startsWith("committed") && !k.startsWith("dropped")) {
                b.append("  ").append(k).append(": ").append(v).append('\n');
            }
        });
        long exports = r.outcomes().stream().mapToLong(o -> o.exports().size()).sum();
        long succeeded = r.outcomes().stream().flatMap(o -> o.exports().stream())
                .filter(e -> e.contains(" SUCCEEDED, file byte-identical")).count();
        b.append("Exports: ").append(exports).append(" accepted, ").append(succeeded)
                .append(" SUCCEEDED byte-identical to the uninterrupted run, ").append(exports - succeeded)
                .append(" not\n");
        b.append("Leftovers after the trials (all lanes): ")
                .append(r.leftovers().isEmpty() ? "none" : String.join("; ", r.leftovers())).append('\n');
        return b.toString();
    }

    static void write(TrialSuite.Result r, Path dir) {
        var b = new StringBuilder(summary(r)).append('\n');
        r.outcomes().forEach(o -> b.append(o.describe()).append("\n\n"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("summary.txt"), b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
