package com.mlplatform.logexport.shared.events;

/**
 * Where completion events go: {@link EventBridgeCompletionEvents} in AWS and on the emulator,
 * {@link RecordingCompletionEvents} in unit tests.
 *
 * <p>Who publishes: whoever wrote the terminal state, right after its conditional write won, so each export's event
 * is put once — the worker (SUCCEEDED, its own FAILED), the reconciler (its FAILED), the request API (CANCELLED,
 * and FAILED for a job it could not queue). A worker that merely notices a cancel publishes nothing. See
 * docs/events.md.
 */
public interface CompletionEvents {

    /** Puts one event; throws if the bus did not take it. */
    void publish(ExportFinished event);
}
