package com.mlplatform.logexport.worker.logs;

import java.util.List;

/**
 * One GetLogEvents page. {@code nextForwardToken} is where the next page starts; when it equals the token that was
 * sent, the stream has no more events. An empty page with a new token is not the end.
 */
public record LogPage(List<LogEvent> events, String nextForwardToken) {
    public LogPage {
        events = List.copyOf(events);
    }
}
