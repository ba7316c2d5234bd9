package com.mlplatform.logexport.shared.events;

import java.util.ArrayList;
import java.util.List;

/** Keeps every event in memory, in order: for unit tests of the code that publishes. Thread-safe. */
public final class RecordingCompletionEvents implements CompletionEvents {

    private final List<ExportFinished> published = new ArrayList<>();

    @Override
    public synchronized void publish(ExportFinished event) {
        published.add(event);
    }

    public synchronized List<ExportFinished> published() {
        return List.copyOf(published);
    }
}
