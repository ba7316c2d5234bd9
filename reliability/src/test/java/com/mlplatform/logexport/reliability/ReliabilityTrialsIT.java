package com.mlplatform.logexport.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.emulator.EmulatedPlatform;
import com.mlplatform.logexport.reliability.crash.WorkerCrashTrial;
import com.mlplatform.logexport.reliability.trial.Lane;
import com.mlplatform.logexport.reliability.trial.Moto;
import com.mlplatform.logexport.reliability.trial.ReconcilerByName;
import com.mlplatform.logexport.reliability.trial.ReferenceExports;
import com.mlplatform.logexport.reliability.trial.Trainings;
import com.mlplatform.logexport.reliability.trial.TrialOutcome;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReliabilityTrialsIT {

    @Test
    void oneTrial() {
        var platform = EmulatedPlatform.fresh();
        try (Moto moto = Moto.of(platform.emulator())) {
            long seed = Long.getLong("trials.seed", 42L);
            var useCase = Trainings.seed(platform.emulator(), seed);
            Path logs = Path.of(System.getProperty("trials.reports", "target/trials"));
            var tuning = new Lane.Tuning(Duration.ofSeconds(6), 5);
            try (var refLane = Lane.provision(moto, "trials-ref", useCase, logs, ReferenceExports.UNINTERRUPTED);
                 var refs = new ReferenceExports(refLane, 1);
                 var lane = Lane.provision(moto, "trials-1", useCase, logs, tuning);
                 var reconcile = new ReconcilerByName(ReconcilerByName.HANDLER, Duration.ofSeconds(2)).start(lane)) {
                int index = Integer.getInteger("trials.only", 0);
                TrialOutcome outcome = WorkerCrashTrial.run(lane, index, seed, refs, reconcile);
                System.out.println(outcome.describe());
                assertThat(outcome.passed()).as(outcome.describe()).isTrue();
            }
        }
    }
}
