package com.mlplatform.logexport.reliability.trial;

import com.mlplatform.logexport.shared.job.ExportJob;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Waiting for exports to end. An export is given up as stuck when its record has not changed for {@link #QUIET}:
 * longer than the longest lease a dead invocation leaves (58 s), plus the reconciler's bounds in the trials, plus
 * a loaded machine's delays. A slow export that keeps writing its record is never given up, so the verdict does not
 * depend on the machine's speed; {@link #CAP} bounds a trial that writes for ever.
 */
public final class Finish {

    public static final Duration QUIET = Duration.ofSeconds(100);
    public static final Duration CAP = Duration.ofMinutes(8);

    private Finish() {
    }

    /** What a wait found: the exports not finished, and why the wait ended. */
    public record Wait(List<String> open, String verdict) {
        public boolean finished() {
            return open.isEmpty();
        }
    }

    /** Waits until every export in {@code ids} is finished, or none of the others changed for {@link #QUIET}. */
    public static Wait await(Lane lane, Collection<String> ids) {
        Watch watch = new Watch();
        while (true) {
            List<String> open = ids.stream().filter(id -> {
                Optional<ExportJob> job = lane.job(id);
                job.ifPresent(watch::saw);
                return job.isEmpty() || !job.get().status().isFinished();
            }).toList();
            Optional<String> stuck = watch.stuck();
            if (open.isEmpty() || stuck.isPresent()) {
                return new Wait(open, stuck.orElse("finished"));
            }
            ReferenceExports.sleep(Duration.ofSeconds(1));
        }
    }

    /** Notices when the watched records last changed. */
    public static final class Watch {
        private final long started = System.nanoTime();
        private final Map<String, Long> versions = new HashMap<>();
        private long lastChange = System.nanoTime();

        /** Restarts the quiet period (a kill is a change of its own). */
        public void changed() {
            lastChange = System.nanoTime();
        }

        public void saw(ExportJob job) {
            Long before = versions.put(job.exportId(), job.version());
            if (before == null || before != job.version()) {
                changed();
            }
        }

        /** Why to give up, if it is time to. */
        public Optional<String> stuck() {
            long now = System.nanoTime();
            if (now - lastChange > QUIET.toNanos()) {
                return Optional.of("stuck: no change to the export record for " + QUIET.toSeconds() + " s");
            }
            if (now - started > CAP.toNanos()) {
                return Optional.of("not finished after " + CAP.toMinutes() + " min although its record kept changing");
            }
            return Optional.empty();
        }
    }
}
