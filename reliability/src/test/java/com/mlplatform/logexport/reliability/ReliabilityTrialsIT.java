package com.mlplatform.logexport.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.reliability.crash.WorkerCrashes;
import com.mlplatform.logexport.reliability.trial.TrialOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 9's "how it is shown": every accepted export ends SUCCEEDED with a file byte-identical to an uninterrupted
 * run, and leaves nothing behind, through SIGKILLs of the worker and the API at any point and through a proxy that
 * fails a quarter of the calls to DynamoDB, SQS, S3 and STS. One test per trial, each named for its scenario and
 * seed; the suite's figures are printed and written to {@code target/trials/summary.txt}.
 */
class ReliabilityTrialsIT {

    @TestFactory
    Stream<DynamicNode> everyAcceptedExport_endsSucceeded_identical_withNothingLeft() throws Exception {
        TrialSuite suite = new TrialSuite();
        TrialSuite.Result result = suite.run();
        String summary = TrialReport.summary(result);
        System.out.println(summary);
        TrialReport.write(result, Path.of(System.getProperty("trials.reports", "target/trials")));

        List<DynamicNode> nodes = new ArrayList<>();
        for (String kind : TrialReport.KINDS) {
            List<TrialOutcome> of = result.of(kind);
            if (!of.isEmpty()) {
                nodes.add(DynamicContainer.dynamicContainer(kind + " trials", of.stream().map(o ->
                        DynamicTest.dynamicTest(o.name(), () -> assertThat(o.failures())
                                .as(o.describe()).isEmpty()))));
            }
        }
        nodes.add(DynamicTest.dynamicTest("the suite killed at every named moment (seed " + result.seed() + ")",
                () -> {
                    if (!result.of("worker crash").isEmpty() && System.getProperty("trials.only", "").isBlank()) {
                        assertThat(result.kills()).as(summary).isGreaterThanOrEqualTo(50);
                        List<String> covered = result.of("worker crash").stream().filter(o -> !o.kills().isEmpty())
                                .map(TrialOutcome::what).toList();
                        for (WorkerCrashes.Scenario s : WorkerCrashes.CATALOGUE) {
                            assertThat(covered).as("a trial killed the worker %s; %s", s.what(), summary)
                                    .anyMatch(w -> w.startsWith(s.what()));
                        }
                    }
                    assertThat(result.leftovers()).as(summary).isEmpty();
                }));
        return nodes.stream();
    }
}
