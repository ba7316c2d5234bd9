package com.mlplatform.logexport.reliability.trial;

import com.mlplatform.logexport.reliability.child.ApiCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A well-behaved API client: it resends the same request, with the same {@code Idempotency-Key}, while the answer
 * says "try again" (409 still in progress, 429, 5xx), backing off 1, 2, 4, then 8 s between attempts, for at most
 * {@code patience}.
 */
public final class Client {

    static final Set<Integer> RETRY = Set.of(409, 429, 500, 502, 503, 504);

    /**
     * The last answer and every status seen.
     */
    public record Result(ApiCall.Answer last, List<Integer> statuses) {
        public boolean accepted() {
            return last.status() / 100 == 2;
        }

        public int retries() {
            return statuses.size() - 1;
        }

        @Override
        public String toString() {
            return "statuses " + statuses + ", last answer " + last.body();
        }
    }

    private Client() {
    }

    public static Result send(Lane lane, ApiCall call, Duration patience) {
        long until = System.nanoTime() + patience.toNanos();
        List<Integer> statuses = new ArrayList<>();
        long pause = 1_000;
        while (true) {
            ApiCall.Answer answer = ((Lane.Answered) lane.call(call, List.of())).answer();
            statuses.add(answer.status());
            if (!RETRY.contains(answer.status()) || System.nanoTime() + pause * 1_000_000 > until) {
                return new Result(answer, List.copyOf(statuses));
            }
            ReferenceExports.sleep(Duration.ofMillis(pause));
            pause = Math.min(8_000, pause * 2);
        }
    }
}
