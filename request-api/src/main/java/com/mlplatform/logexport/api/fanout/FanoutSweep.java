package com.mlplatform.logexport.api.fanout;

import com.mlplatform.logexport.shared.log.StructuredLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Makes every fan-out end. A PENDING fan-out silent for {@link #GRACE} lost its message or its runs keep failing
 * (the message went to the dead-letter queue): the sweep sends it again, up to {@link #MAX_REDRIVES} times, then
 * gives it up (FAILED: its items without a job show FAILED, "start it again"). A fan-out run touches the batch when
 * it starts, so a run in progress (at most the function's timeout, under {@link #GRACE}) is never re-driven.
 *
 * <p>Bound (docs/reliability.md): a batch's every item has a job, or shows FAILED, within
 * {@code (MAX_REDRIVES + 1) x (GRACE + sweep period)} of the last sign of life, 4 x (10 + 5) = 60 min by default.
 */
public final class FanoutSweep {

    /** Longer than the fan-out function's timeout (300 s), so a run in progress is never taken for lost. */
    public static final Duration GRACE = Duration.ofMinutes(10);
    public static final int MAX_REDRIVES = 3;

    private static final StructuredLog LOG = new StructuredLog("batch-fanout");

    private final BatchPlans plans;
    private final FanoutQueue queue;
    private final Clock clock;

    public FanoutSweep(BatchPlans plans, FanoutQueue queue, Clock clock) {
        this.plans = plans;
        this.queue = queue;
        this.clock = clock;
    }

    /** What one sweep did. */
    public record Report(int redriven, int failed) {
    }

    public Report runOnce() {
        Instant now = clock.instant();
        int redriven = 0;
        int failed = 0;
        for (FanoutProgress p : plans.stale(now.minus(GRACE))) {
            if (p.redrives() >= MAX_REDRIVES) {
                plans.finish(p.batchId(), FanoutState.FAILED, now);
                LOG.error("fanout_failed", "batchId", p.batchId(), "redrives", p.redrives());
                failed++;
            } else {
                plans.redriven(p.batchId(), now);
                queue.send(FanoutMessage.of(p.batchId()));
                LOG.warn("fanout_redriven", "batchId", p.batchId(), "redrives", p.redrives() + 1);
                redriven++;
            }
        }
        LOG.info("fanout_sweep", "redriven", redriven, "failed", failed);
        return new Report(redriven, failed);
    }
}
