package com.mlplatform.logexport.reliability.trial;

import java.time.Duration;
import java.util.List;

/**
 * What one trial did and found. It passed if {@link #failures()} is empty; every line of {@link #describe()} names
 * the suite seed and the trial, so a failure reproduces with {@code -Dtrials.seed=<seed> -Dtrials.only=<trial>}.
 *
 * @param kind       "worker crash", "API crash" or "faults"
 * @param what       the scenario in words, e.g. "between saving the checkpoint and sending the continuation"
 * @param plan       the crash points armed, in order (one child each)
 * @param kills      the SIGKILLs done: the point, and the job's state at that moment
 * @param unreached  armed points no child reached (the export ended first)
 * @param exports    per export: id, final state, byte comparison, leftovers
 */
public record TrialOutcome(String kind, int index, long seed, String what, List<String> plan, List<String> kills,
                           List<String> unreached, List<String> exports, List<String> failures, Duration took) {

    public boolean passed() {
        return failures.isEmpty();
    }

    public String name() {
        return kind + " trial " + index + " (seed " + seed + "): " + what;
    }

    public String describe() {
        var b = new StringBuilder(name());
        b.append("\n  reproduce: -Dtrials.seed=").append(seed).append(" -Dtrials.only=").append(index);
        b.append("\n  crash plan: ").append(plan.isEmpty() ? "none" : plan);
        b.append("\n  kills: ").append(kills.isEmpty() ? "none" : String.join("; ", kills));
        if (!unreached.isEmpty()) {
            b.append("\n  not reached (the export ended first): ").append(unreached);
        }
        exports.forEach(e -> b.append("\n  export ").append(e));
        b.append("\n  took ").append(took.toMillis()).append(" ms");
        if (!failures.isEmpty()) {
            b.append("\n  FAILED:");
            failures.forEach(f -> b.append("\n    - ").append(f.replace("\n", "\n      ")));
        }
        return b.toString();
    }
}
