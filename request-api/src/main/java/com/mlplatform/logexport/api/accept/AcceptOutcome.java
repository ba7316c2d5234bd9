package com.mlplatform.logexport.api.accept;

import java.util.List;

/** What {@link ExportAcceptor#accept} did with a request: accepted it training by training, or refused it whole. */
public sealed interface AcceptOutcome {

    /** One {@link Acceptance} per requested training, in request order. */
    record Accepted(List<Acceptance> acceptances) implements AcceptOutcome {
        public Accepted {
            acceptances = List.copyOf(acceptances);
        }
    }

    /**
     * The new exports would take the caller past the cap on active exports; nothing was created.
     *
     * @param running the caller's active exports as counted, or -1 when not counted (the request alone is over)
     * @param atLeast true when counting stopped early, so {@code running} is a lower bound
     */
    record OverCap(long running, boolean atLeast, int max, int adding) implements AcceptOutcome {

        public String message() {
            String have = running < 0 ? "" : "You have " + (atLeast ? "at least " : "") + running
                    + " exports queued or running. ";
            return have + "You may have at most " + max + " and this request would add " + adding
                    + ". Wait for some to finish and try again.";
        }
    }
}
