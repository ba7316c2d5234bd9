package com.mlplatform.logexport.reliability.crash;

import com.mlplatform.logexport.reliability.child.CrashPoint;
import com.mlplatform.logexport.reliability.trial.Lane;
import com.mlplatform.logexport.reliability.trial.Trainings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Where a worker is killed: the moments of an export's life that matter, each named by the AWS call around it.
 * Occurrences count within one worker JVM (which may run several hops of the export), and some are drawn at random
 * from the trial's seed, so the suite also lands between the named moments.
 *
 * <p>The worker's clock is the system's, so how far a hop gets depends on the machine. Moments at a hop boundary are
 * therefore armed in a worker whose invocations stop merging at once ({@link #HOPPING}): it pauses after its first
 * new page however fast or loaded the machine is, so the boundary is always crossed. The workers that take over
 * after a kill get ordinary invocations ({@link #RECOVERY}) and finish the export in a few hops.
 */
public final class WorkerCrashes {

    /** 12 s invocations that merge until 6 s before the end. A dead one's lease ends 40 s after it began. */
    public static final Lane.Tuning RECOVERY = new Lane.Tuning(Duration.ofSeconds(12), 6);
    /** 12 s invocations with no time to merge: every hop moves the export on by one page and pauses. */
    public static final Lane.Tuning HOPPING = new Lane.Tuning(Duration.ofSeconds(12), 12);
    /** 30 s invocations merging for 21, so the large training's 12 MB take a few hops rather than a dozen. */
    public static final Lane.Tuning LARGE_INVOCATIONS = new Lane.Tuning(Duration.ofSeconds(30), 9);

    /**
     * One kind of crash.
     *
     * @param what        the moment in words
     * @param training    which training's export it needs (the mid-merge part upload needs more than two parts)
     * @param invocations the armed worker's invocations
     * @param point       the point, given the trial's random source
     */
    public record Scenario(String what, String training, Lane.Tuning invocations,
                           Function<SplittableRandom, CrashPoint> point) {
    }

    public static final List<Scenario> CATALOGUE = List.of(
            new Scenario("before the claim", Trainings.SMALL, RECOVERY,
                    r -> CrashPoint.before("GetItem/exports", 1)),
            new Scenario("the claim written, nothing else", Trainings.SMALL, RECOVERY,
                    r -> CrashPoint.after("PutItem/exports", 1)),
            new Scenario("the multipart upload created, its id not yet saved", Trainings.SMALL, RECOVERY,
                    r -> CrashPoint.after("CreateMultipartUpload", 1)),
            new Scenario("mid-merge, after a page of logs was read", Trainings.SMALL, HOPPING,
                    r -> CrashPoint.after("GetLogEvents", 1 + r.nextInt(4))),
            new Scenario("between an UploadPart in the middle of the merge and the next checkpoint", Trainings.LARGE,
                    LARGE_INVOCATIONS, r -> CrashPoint.after("UploadPart", 1)),
            new Scenario("between the last UploadParts and completion", Trainings.SMALL, RECOVERY,
                    r -> CrashPoint.after("UploadPart", 1)),
            new Scenario("after a checkpoint or progress write", Trainings.SMALL, HOPPING,
                    r -> CrashPoint.after("PutItem/exports", 2 + r.nextInt(3))),
            new Scenario("the working object written, the checkpoint not yet", Trainings.SMALL, HOPPING,
                    r -> CrashPoint.after("PutObject", 1)),
            new Scenario("between saving the checkpoint and sending the continuation", Trainings.SMALL, HOPPING,
                    r -> CrashPoint.before("SendMessage", 1)),
            new Scenario("the continuation sent, not yet marked as sent", Trainings.SMALL, HOPPING,
                    r -> CrashPoint.after("SendMessage", 1)),
            new Scenario("during completion, before CompleteMultipartUpload", Trainings.SMALL, RECOVERY,
                    r -> CrashPoint.before("CompleteMultipartUpload", 1)),
            new Scenario("during completion, after CompleteMultipartUpload", Trainings.SMALL, RECOVERY,
                    r -> CrashPoint.after("CompleteMultipartUpload", 1)),
            new Scenario("the file complete and the working object deleted, SUCCEEDED not yet written",
                    Trainings.SMALL, RECOVERY, r -> CrashPoint.after("DeleteObject", 1)));

    /** The control: the same export with no crash at all. */
    public static final Scenario NONE = new Scenario("no crash (control)", Trainings.SMALL, RECOVERY, r -> null);

    /** A crash point and the invocations of the worker armed with it. */
    public record Armed(CrashPoint point, Lane.Tuning invocations) {
    }

    /**
     * A trial: scenario {@code index} modulo the catalogue and the control (so every moment is covered), and every
     * fourth trial a second crash, of a random scenario on the same training, in the worker that takes over.
     *
     * @param recovery the invocations of the workers that run after the last kill
     */
    public record Plan(String what, String training, List<Armed> kills, Lane.Tuning recovery) {
        public List<String> points() {
            return kills.stream().map(a -> a.point().toString()).toList();
        }
    }

    public static Plan plan(int index, long trialSeed) {
        var random = new SplittableRandom(trialSeed);
        int pick = index % (CATALOGUE.size() + 1);
        if (pick == CATALOGUE.size()) {
            return new Plan(NONE.what(), NONE.training(), List.of(), RECOVERY);
        }
        Scenario first = CATALOGUE.get(pick);
        List<Armed> kills = new ArrayList<>(List.of(new Armed(first.point().apply(random), first.invocations())));
        String what = first.what();
        if (index % 4 == 3) {
            Scenario second = CATALOGUE.get(random.nextInt(CATALOGUE.size()));
            if (second.training().equals(first.training())) {
                kills.add(new Armed(second.point().apply(random), second.invocations()));
                what += ", then " + second.what();
            }
        }
        Lane.Tuning recovery = first.training().equals(Trainings.LARGE) ? LARGE_INVOCATIONS : RECOVERY;
        return new Plan(what, first.training(), List.copyOf(kills), recovery);
    }

    private WorkerCrashes() {
    }
}
