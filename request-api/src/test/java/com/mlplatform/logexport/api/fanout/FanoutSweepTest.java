package com.mlplatform.logexport.api.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweep on an in-memory store and a stepping clock: a silent fan-out is re-driven, then given up. */
class FanoutSweepTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final InMemoryFanoutStore store = new InMemoryFanoutStore();
    private final List<FanoutMessage> sent = new ArrayList<>();
    private Instant now = T0;
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final FanoutSweep sweep = new FanoutSweep(store, sent::add, clock);

    @Test
    void silentFanout_isRedrivenAfterTheGrace_thenGivenUpAfterMaxRedrives() {
        BatchPlan plan = new BatchPlan(ExportIds.newBatchId(), "uc-a", "alice", ExportOptions.DEFAULT, T0,
                List.of("a", "b"));
        store.save(plan, T0);

        now = T0.plus(FanoutSweep.GRACE).minusSeconds(1);
        assertThat(sweep.runOnce().redriven()).as("within the grace: maybe still running").isZero();

        for (int i = 1; i <= FanoutSweep.MAX_REDRIVES; i++) {
            now = now.plus(FanoutSweep.GRACE).plus(Duration.ofMinutes(5));
            assertThat(sweep.runOnce()).isEqualTo(new FanoutSweep.Report(1, 0));
            assertThat(sent).hasSize(i).allSatisfy(m -> assertThat(m.batchId()).isEqualTo(plan.batchId()));
        }
        now = now.plus(FanoutSweep.GRACE).plus(Duration.ofMinutes(5));
        assertThat(sweep.runOnce()).isEqualTo(new FanoutSweep.Report(0, 1));
        assertThat(store.state(plan.batchId())).isEqualTo(FanoutState.FAILED);
        assertThat(sweep.runOnce()).as("given up: left alone").isEqualTo(new FanoutSweep.Report(0, 0));
    }

    @Test
    void finishedFanout_isNeverRedriven() {
        BatchPlan plan = new BatchPlan(ExportIds.newBatchId(), "uc-a", "alice", ExportOptions.DEFAULT, T0,
                List.of("a"));
        store.save(plan, T0);
        store.finish(plan.batchId(), FanoutState.DONE, T0);
        now = T0.plus(Duration.ofHours(2));
        assertThat(sweep.runOnce()).isEqualTo(new FanoutSweep.Report(0, 0));
        assertThat(sent).isEmpty();
    }
}
