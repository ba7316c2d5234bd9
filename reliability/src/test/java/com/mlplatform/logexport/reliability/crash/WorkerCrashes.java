package com.mlplatform.logexport.reliability.crash;

import com.mlplatform.logexport.reliability.child.CrashPoint;
import com.mlplatform.logexport.reliability.trial.Trainings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Where a worker is killed: the moments of an export's life that matter, each named by the AWS call around it.
 * Occurrences count within one worker JVM (which may run several hops of the export), and some are drawn at random
 * from the trial's seed, so the suite also lands between the named moments.
 */
public final class WorkerCrashes {

    /**
     * One kind of crash.
     *
     * @param what     the moment in words
     * @param training which training's export it needs (the mid-merge part upload needs more than two parts)
     * @param point    the point, given the trial's random source
     */
    public record Scenario(String what, String training, Function<SplittableRandom, CrashPoint> point) {
    }

    public static final List<Scenario> CATALOGUE = List.of(
            new Scenario("before the claim", Trainings.SMALL,
                    r -> CrashPoint.before("GetItem/exports", 1)),
            new Scenario("the claim written, nothing else", Trainings.SMALL,
                    r -> CrashPoint.after("PutItem/exports", 1)),
            new Scenario("the multipart upload created, its id not yet saved", Trainings.SMALL,
                    r -> CrashPoint.after("CreateMultipartUpload", 1)),
            new Scenario("mid-merge, after a page of logs was read", Trainings.SMALL,
                    r -> CrashPoint.after("GetLogEvents", 1 + r.nextInt(4))),
            new Scenario("between an UploadPart in the middle of the merge and the next checkpoint", Trainings.LARGE,
                    r -> CrashPoint.after("UploadPart", 1)),
            new Scenario("between the last UploadParts and completion", Trainings.SMALL,
                    r -> CrashPoint.after("UploadPart", 1)),
            new Scenario("after a checkpoint or progress write", Trainings.SMALL,
                    r -> CrashPoint.after("PutItem/exports", 2 + r.nextInt(5))),
            new Scenario("the working object written, the checkpoint not yet", Trainings.SMALL,
                    r -> CrashPoint.after("PutObject", 1 + r.nextInt(2))),
            new Scenario("between saving the checkpoint and sending the continuation", Trainings.SMALL,
                    r -> CrashPoint.before("SendMessage", 1 + r.nextInt(2))),
            new Scenario("the continuation sent, not yet marked as sent", Trainings.SMALL,
                    r -> CrashPoint.after("SendMessage", 1)),
            new Scenario("during completion, before CompleteMultipartUpload", Trainings.SMALL,
                    r -> CrashPoint.before("CompleteMultipartUpload", 1)),
            new Scenario("during completion, after CompleteMultipartUpload", Trainings.SMALL,
                    r -> CrashPoint.after("CompleteMultipartUpload", 1)),
            new Scenario("the file complete and the working object deleted, SUCCEEDED not yet written",
                    Trainings.SMALL, r -> CrashPoint.after("DeleteObject", 1)));

    /** The control: the same export with no crash at all. */
    public static final Scenario NONE = new Scenario("no crash (control)", Trainings.SMALL, r -> null);

    /**
     * A trial: scenario {@code index} modulo the catalogue (so every moment is covered), and every fourth trial a
     * second crash of a random scenario in the worker that takes over.
     */
    public record Plan(String what, String training, List<CrashPoint> points) {
    }

    public static Plan plan(int index, long trialSeed) {
        var random = new SplittableRandom(trialSeed);
        if (index % (CATALOGUE.size() + 1) == CATALOGUE.size()) {
            return new Plan(NONE.what(), NONE.training(), List.of());
        }
        Scenario first = CATALOGUE.get(index % (CATALOGUE.size() + 1));
        List<CrashPoint> points = new ArrayList<>(List.of(first.point().apply(random)));
        String what = first.what();
        if (index % 4 == 3) {
            Scenario second = CATALOGUE.get(random.nextInt(CATALOGUE.size()));
            if (second.training().equals(first.training())) {
                points.add(second.point().apply(random));
                what += ", then " + second.what();
            }
        }
        return new Plan(what, first.training(), List.copyOf(points));
    }

    private WorkerCrashes() {
    }
}
