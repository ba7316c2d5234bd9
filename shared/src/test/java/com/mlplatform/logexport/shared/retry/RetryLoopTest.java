package com.mlplatform.logexport.shared.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RetryLoopTest {

    private final List<Duration> slept = new ArrayList<>();
    private final Backoff backoff = new Backoff(Duration.ofMillis(25), Duration.ofMillis(800), 4);

    @Property
    void delayBefore_isFullJitter_belowTheDoubledBaseAndTheCap(@ForAll @IntRange(min = 1, max = 40) int retry) {
        long ceiling = Math.min(800, 25L << Math.min(retry - 1, 20));
        Duration delay = backoff.delayBefore(retry);
        assertThat(delay).as("retry %d", retry).isBetween(Duration.ZERO, Duration.ofMillis(ceiling));
    }

    @Test
    void call_retriesRetryableFailures_untilTheCallSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String result = new RetryLoop(backoff, slept::add).call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("busy");
            }
            return "done";
        }, e -> e instanceof IllegalStateException);

        assertThat(result).isEqualTo("done");
        assertThat(calls).hasValue(3);
        assertThat(slept).as("one wait before each retry").hasSize(2);
    }

    @Test
    void call_throwsANonRetryableFailureAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> new RetryLoop(backoff, slept::add).call(() -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("bad input");
        }, e -> e instanceof IllegalStateException)).isInstanceOf(IllegalArgumentException.class);
        assertThat(calls).hasValue(1);
        assertThat(slept).isEmpty();
    }

    @Test
    void call_givesUpAfterMaxAttempts_withTheLastFailureAsCause() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> new RetryLoop(backoff, slept::add).call(() -> {
            throw new IllegalStateException("busy " + calls.incrementAndGet());
        }, e -> true))
                .isInstanceOfSatisfying(RetriesExhausted.class, e -> {
                    assertThat(e.attempts()).isEqualTo(4);
                    assertThat(e.outOfTime()).isFalse();
                })
                .hasCauseInstanceOf(IllegalStateException.class).cause().hasMessage("busy 4");
    }

    @Test
    void call_givesUpBeforeAWaitThatWouldPassTheDeadline() {
        Backoff unlimited = new Backoff(Duration.ofMillis(25), Duration.ofMillis(800), Backoff.UNLIMITED);
        AtomicInteger calls = new AtomicInteger();
        RetryLoop loop = new RetryLoop(unlimited, slept::add, wait -> calls.get() < 5, RetryLoop.Listener.NONE);
        assertThatThrownBy(() -> loop.call(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("busy");
        }, e -> true)).isInstanceOfSatisfying(RetriesExhausted.class, e -> assertThat(e.outOfTime()).isTrue());
        assertThat(calls).hasValue(5);
    }

    @Test
    void untilDone_resendsOnlyWhatIsLeft_andReturnsWhatIsStillLeftAtTheEnd() {
        List<List<Integer>> sent = new ArrayList<>();
        List<Integer> left = new RetryLoop(backoff, slept::add).untilDone(List.of(1, 2, 3, 4), pending -> {
            sent.add(pending);
            return pending.stream().filter(i -> i % 2 == 0).toList(); // evens never go through
        });
        assertThat(sent).containsExactly(List.of(1, 2, 3, 4), List.of(2, 4), List.of(2, 4), List.of(2, 4));
        assertThat(left).containsExactly(2, 4);
    }

    @Test
    void untilDone_returnsEmpty_whenEverythingGoesThroughEventually() {
        AtomicInteger round = new AtomicInteger();
        List<Integer> left = new RetryLoop(backoff, slept::add).untilDone(List.of(1, 2, 3), pending ->
                round.incrementAndGet() == 1 ? pending.subList(1, pending.size()) : List.of());
        assertThat(left).isEmpty();
        assertThat(slept).hasSize(1);
    }
}
