package com.mlplatform.logexport.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReconcilerScheduleTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(out, true, StandardCharsets.UTF_8);

    private String console() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsTheHandlerEveryPeriod_tellsWhatItDid_andSurvivesAFailedRun_untilClosed() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        var schedule = new ReconcilerSchedule((event, context) -> {
            int n = runs.incrementAndGet();
            if (n == 1) {
                throw new IllegalStateException("DynamoDB unreachable");
            }
            return n == 2 ? Map.of("active", 3, "left_alive", 2, "redriven_queued_silent", 1) : Map.of("active", 3);
        }, Duration.ofMillis(20), console);

        TestTime.await("three reconciler runs", Duration.ofSeconds(10)).until(() -> runs.get() >= 3);
        schedule.close();
        int afterClose = runs.get();
        Thread.sleep(100);

        assertThat(runs.get()).as("no run after close").isEqualTo(afterClose);
        assertThat(console()).contains("[reconciler] run failed: IllegalStateException: DynamoDB unreachable")
                .contains("[reconciler] redriven_queued_silent 1")
                .doesNotContain("left_alive").doesNotContain("active 3");
    }
}
