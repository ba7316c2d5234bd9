package com.mlplatform.logexport.shared.events;

import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.metrics.ExportMetrics;
import java.time.Instant;

/**
 * What the writer of a terminal state does right after its conditional write won: count the export as finished
 * and put its completion event. A bus that refuses the event never undoes or fails the export: the miss is logged
 * with the event id and counted ({@code CompletionEventsNotPut}), for the alarm and a manual re-put.
 */
public final class Completions {

    private final CompletionEvents events;
    private final ExportMetrics metrics;
    private final StructuredLog log;

    public Completions(CompletionEvents events, ExportMetrics metrics, StructuredLog log) {
        this.events = events;
        this.metrics = metrics;
        this.log = log;
    }

    public ExportMetrics metrics() {
        return metrics;
    }

    /** This caller wrote the terminal state: counts it and publishes its event. */
    public void finished(ExportFinished event, Instant acceptedAt) {
        metrics.finished(event, acceptedAt);
        publish(event);
    }

    /**
     * Publishes again the event of an export finished earlier (its message came back: the invocation that finished
     * it may have died before publishing). Not counted again; consumers dedupe on the same event id.
     */
    public void republish(ExportFinished event) {
        publish(event);
    }

    private void publish(ExportFinished event) {
        try {
            events.publish(event);
            log.info("completion_event_put", "eventId", event.eventId());
        } catch (RuntimeException e) {
            metrics.completionEventNotPut();
            log.error("completion_event_not_put", "eventId", event.eventId(), "cause", e.getClass().getSimpleName());
        }
    }
}
