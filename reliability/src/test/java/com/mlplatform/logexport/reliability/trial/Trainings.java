package com.mlplatform.logexport.reliability.trial;

import com.mlplatform.logexport.emulator.Accounts;
import com.mlplatform.logexport.emulator.Emulator;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder;
import com.mlplatform.logexport.shared.usecase.UseCase;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training logs every trial exports, seeded once into one use-case account: SageMaker-shaped streams
 * ({@code <training>/algo-<n>-<epoch>}) whose lines come from the suite's seed.
 *
 * <ul>
 *   <li>{@link #SMALL}: three streams, about 0.6 MB. With the trials' short invocations it needs several hops, so
 *   every hop boundary (checkpoint, continuation) is crossed.</li>
 *   <li>{@link #LARGE}: three streams, about 12 MB of body: parts 2 (uploaded in the middle of the merge), 1 and 3
 *   (at completion), with S3's 5 MiB minimum part size.</li>
 *   <li>{@link #BATCH}: {@link #SMALL} and two smaller ones, for batch requests.</li>
 * </ul>
 */
public final class Trainings {

    public static final String USECASE = "trials-uc";
    public static final String USER = "trial-user";
    public static final String SMALL = "trials-small";
    public static final String LARGE = "trials-large";
    /** Two more small trainings, for batch requests (a batch names distinct trainings). */
    public static final List<String> BATCH = List.of(SMALL, "trials-small-b", "trials-small-c");
    private static final String EXTERNAL_ID = "ext-trials";
    private static final int STREAMS = 3;

    private Trainings() {
    }

    /** Seeds the use-case account (read role and logs) and returns the use case every lane registers. */
    public static UseCase seed(Emulator emulator, long seed) {
        try (var seeder = new UseCaseAccountSeeder(emulator, Accounts.USECASE_A)) {
            String roleArn = seeder.createReadRole(EXTERNAL_ID);
            var random = new SplittableRandom(seed);
            long base = System.currentTimeMillis() / 60_000 * 60_000 - 3_600_000;
            streams(seeder, SMALL, 2_000, 40, base, random);
            streams(seeder, LARGE, 16_000, 220, base, random);
            for (String other : BATCH.subList(1, BATCH.size())) {
                streams(seeder, other, 1_000, 40, base, random);
            }
            return new UseCase(USECASE, Accounts.USECASE_A, roleArn, EXTERNAL_ID, Emulator.REGION.id(),
                    UseCase.DEFAULT_LOG_GROUP, java.util.Set.of(USER));
        }
    }

    private static void streams(UseCaseAccountSeeder seeder, String training, int events, int padding, long base,
                                SplittableRandom random) {
        for (int host = 1; host <= STREAMS; host++) {
            List<UseCaseAccountSeeder.Event> stream = new ArrayList<>(events);
            for (int i = 0; i < events; i++) {
                // Rising within a stream; across hosts they interleave and sometimes tie, as a distributed job's do.
                long t = base + i * 7L + random.nextInt(3);
                stream.add(new UseCaseAccountSeeder.Event(t, line(host, i, padding, random)));
            }
            seeder.putEvents(UseCase.DEFAULT_LOG_GROUP, training + "/algo-" + host + "-1700000000", stream);
        }
    }

    private static String line(int host, int i, int padding, SplittableRandom random) {
        var b = new StringBuilder(64 + padding);
        b.append("[host ").append(host).append("] step=").append(i)
                .append(" loss=").append(random.nextInt(100_000) / 10_000.0)
                .append(" lr=").append(random.nextInt(1_000)).append("e-6 ");
        for (int k = 0; k < padding; k++) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }
}
