package com.mlplatform.logexport.reliability;

import com.mlplatform.logexport.emulator.EmulatedPlatform;
import com.mlplatform.logexport.reliability.crash.ApiCrashTrial;
import com.mlplatform.logexport.reliability.crash.WorkerCrashTrial;
import com.mlplatform.logexport.reliability.crash.WorkerCrashes;
import com.mlplatform.logexport.reliability.fault.FaultProxy;
import com.mlplatform.logexport.reliability.fault.FaultTrial;
import com.mlplatform.logexport.reliability.trial.Lane;
import com.mlplatform.logexport.reliability.trial.Leftovers;
import com.mlplatform.logexport.reliability.trial.Moto;
import com.mlplatform.logexport.reliability.trial.Reconcile;
import com.mlplatform.logexport.reliability.trial.ReconcilerByName;
import com.mlplatform.logexport.reliability.trial.ReferenceExports;
import com.mlplatform.logexport.reliability.trial.Trainings;
import com.mlplatform.logexport.reliability.trial.TrialOutcome;
import com.mlplatform.logexport.shared.usecase.UseCase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Runs all trials on one emulator: worker crash trials and API crash trials spread over {@code lanes} stacks side by
 * side (most of a crash trial is waiting for a dead invocation's lease to run out, so they overlap well), and the
 * fault trial on a lane of its own at the same time.
 *
 * <p>System properties: {@code trials.seed} (default: a fresh one, printed), {@code trials.worker} (worker crash
 * trials, 52), {@code trials.api} (API crash trials, 4), {@code trials.faults} (fault trial on/off, true),
 * {@code trials.faultRate} (0.25), {@code trials.lanes} (16), {@code trials.only} (comma-separated trial numbers:
 * worker trials are 0…, API trials 100…, the fault trial 200), {@code trials.reconciler} (the reconciler handler's
 * class name).
 */
public final class TrialSuite {

    static final int FIRST_API_TRIAL = 100;
    static final int FAULT_TRIAL = 200;

    /** What the suite found, for the tests and the report. */
    public record Result(long seed, List<TrialOutcome> outcomes, Map<String, Long> faultsInjected,
                         Map<String, Long> faultedCalls, List<String> leftovers, Duration took) {

        public List<TrialOutcome> of(String kind) {
            return outcomes.stream().filter(o -> o.kind().equals(kind)).toList();
        }

        public long kills() {
            return outcomes.stream().mapToLong(o -> o.kills().size()).sum();
        }
    }

    private final long seed = Long.getLong("trials.seed", System.nanoTime() & 0xFFFFFFFFFFL);
    private final int workerTrials = Integer.getInteger("trials.worker", 52);
    private final int apiTrials = Integer.getInteger("trials.api", 4);
    private final boolean faults = Boolean.parseBoolean(System.getProperty("trials.faults", "true"));
    private final double faultRate = Double.parseDouble(System.getProperty("trials.faultRate", "0.25"));
    private final int lanes = Integer.getInteger("trials.lanes", 16);
    private final Set<Integer> only = parseOnly(System.getProperty("trials.only", ""));
    private final Path logs = Path.of(System.getProperty("trials.reports", "target/trials"));
    private final Reconcile reconcile = new ReconcilerByName(
            System.getProperty("trials.reconciler", ReconcilerByName.HANDLER), Duration.ofSeconds(2));

    /** The lanes' worker invocations unless a trial chooses others: see {@link WorkerCrashes#RECOVERY}. */
    static final Lane.Tuning SHORT_INVOCATIONS = WorkerCrashes.RECOVERY;

    public long seed() {
        return seed;
    }

    public Result run() throws Exception {
        long started = System.nanoTime();
        System.out.println("[trials] seed " + seed + " (reproduce with -Dtrials.seed=" + seed + ")");
        var platform = EmulatedPlatform.fresh();
        try (Moto moto = Moto.of(platform.emulator())) {
            UseCase useCase = Trainings.seed(platform.emulator(), seed);
            var queue = new ConcurrentLinkedQueue<Function<Lane, TrialOutcome>>();
            List<Lane> provisioned = Collections.synchronizedList(new ArrayList<>());
            List<TrialOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
            try (var refLane = Lane.provision(moto, "trials-ref", useCase, logs, ReferenceExports.UNINTERRUPTED);
                 var references = new ReferenceExports(refLane, 2)) {
                IntStream.range(FIRST_API_TRIAL, FIRST_API_TRIAL + apiTrials).filter(this::selected).forEach(i ->
                        queue.add(lane -> guarded("API crash", i, () -> ApiCrashTrial.run(lane, i, seed, references,
                                running(lane)))));
                IntStream.range(0, workerTrials).filter(this::selected).forEach(i ->
                        queue.add(lane -> guarded("worker crash", i, () -> WorkerCrashTrial.run(lane, i, seed,
                                references, running(lane)))));
                int laneCount = Math.max(1, Math.min(lanes, queue.size()));
                ExecutorService pool = Executors.newFixedThreadPool(laneCount + 1);
                List<Future<?>> running = new ArrayList<>();
                FaultProxy proxy = faults && selected(FAULT_TRIAL)
                        ? new FaultProxy(platform.emulator().endpoint(), seed, faultRate) : null;
                try {
                    if (proxy != null) {
                        running.add(pool.submit(() -> {
                            Lane lane = Lane.provision(moto, "trials-faults", useCase, logs, SHORT_INVOCATIONS);
                            provisioned.add(lane);
                            outcomes.add(guarded("faults", FAULT_TRIAL, () -> FaultTrial.run(lane, proxy, FAULT_TRIAL,
                                    seed, references, reconcile)));
                            return null;
                        }));
                    }
                    for (int l = 1; l <= laneCount && !queue.isEmpty(); l++) {
                        String name = "trials-" + l;
                        running.add(pool.submit(() -> {
                            Lane lane = Lane.provision(moto, name, useCase, logs, SHORT_INVOCATIONS);
                            provisioned.add(lane);
                            for (var trial = queue.poll(); trial != null; trial = queue.poll()) {
                                TrialOutcome outcome = trial.apply(lane);
                                System.out.println("[trials] " + (outcome.passed() ? "passed " : "FAILED ")
                                        + outcome.name() + " in " + outcome.took().toSeconds() + " s");
                                outcomes.add(outcome);
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : running) {
                        f.get();
                    }
                } finally {
                    pool.shutdownNow();
                    closeReconcilers();
                    if (proxy != null) {
                        proxy.close();
                    }
                }
                List<String> leftovers = new ArrayList<>();
                for (Lane lane : provisioned) {
                    Leftovers left = Leftovers.in(moto.s3(), lane.resources().bucket(), null);
                    if (!left.none()) {
                        leftovers.add(lane.name() + ": " + left);
                    }
                    lane.close();
                }
                List<TrialOutcome> sorted = new ArrayList<>(outcomes);
                sorted.sort(java.util.Comparator.comparingInt(TrialOutcome::index));
                return new Result(seed, sorted, proxy == null ? Map.of() : proxy.injected(),
                        proxy == null ? Map.of() : proxy.calls(), List.copyOf(leftovers),
                        Duration.ofNanos(System.nanoTime() - started));
            }
        }
    }

    /** A trial whose harness threw is a failed trial, named and seeded like the others; the rest carry on. */
    private TrialOutcome guarded(String kind, int index, java.util.function.Supplier<TrialOutcome> trial) {
        long started = System.nanoTime();
        try {
            return trial.get();
        } catch (RuntimeException e) {
            var trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            return new TrialOutcome(kind, index, seed, "the trial could not run", List.of(), List.of(), List.of(),
                    List.of(), List.of("the harness threw: " + trace), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private final Map<String, Reconcile.Running> reconcilers = new TreeMap<>();

    /** The lane's reconcile step, started with its first trial and left running for the lane's life. */
    private synchronized Reconcile.Running running(Lane lane) {
        return reconcilers.computeIfAbsent(lane.name(), n -> reconcile.start(lane));
    }

    private synchronized void closeReconcilers() {
        reconcilers.values().forEach(Reconcile.Running::close);
        reconcilers.clear();
    }

    private boolean selected(int trial) {
        return only.isEmpty() || only.contains(trial);
    }

    private static Set<Integer> parseOnly(String text) {
        return text.isBlank() ? Set.of() : java.util.Arrays.stream(text.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).map(Integer::valueOf).collect(Collectors.toSet());
    }
}
