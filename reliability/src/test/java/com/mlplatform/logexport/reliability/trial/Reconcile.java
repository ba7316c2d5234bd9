package com.mlplatform.logexport.reliability.trial;

import java.util.Optional;

/**
 * The trials' reconcile step: whatever re-drives accepted exports that nothing else will finish (their message
 * lost with a killed invocation, a killed API, a lease left behind). Started once per lane and left running on its
 * schedule while the lane's trials run, as the scheduled Lambda runs in a deployment.
 */
public interface Reconcile {

    /** Starts reconciling the lane's platform on a schedule until the returned handle is closed. */
    Running start(Lane lane);

    /** A running reconcile step. */
    interface Running extends AutoCloseable {

        /** Why the step cannot run at all (e.g. its handler class is missing), once that is known. */
        Optional<String> unavailable();

        /** Scheduled runs that completed. */
        int runs();

        /** Scheduled runs that threw, with the exception. */
        java.util.List<String> errors();

        @Override
        void close();
    }
}
