package com.mlplatform.logexport.worker.merge;

import com.mlplatform.logexport.worker.logs.LogEvent;
import com.mlplatform.logexport.worker.logs.LogPage;
import java.util.List;
import java.util.Objects;

/**
 * Reading position in one log stream: the page in hand and the next event in it. Holds at most one page, which is
 * what keeps the export's memory at O(streams × page) however long the streams are.
 *
 * <p>Its {@link Position} is enough to resume in another invocation: fetch the page again with the token that
 * produced it and skip the events already written. Tokens are positions in the stream, so the same token gives the
 * same page (or, if the stream grew since, the same events followed by new ones).
 */
public final class StreamCursor {

    /**
     * Where a stream's reading stands.
     *
     * @param pageToken the token that fetched the page in hand (null: the head of the stream)
     * @param index     how many events of that page are already written
     * @param done      the stream has no more events
     * @param events    how many events of this stream are written so far
     */
    public record Position(String name, String pageToken, int index, boolean done, long events) {
        public Position {
            Objects.requireNonNull(name, "name");
            if (index < 0 || events < 0) {
                throw new IllegalArgumentException("negative position");
            }
        }

        public static Position start(String name) {
            return new Position(name, null, 0, false, 0);
        }
    }

    private final String name;
    private final int ordinal;
    private final PageFetcher fetcher;
    private String pageToken;
    private List<LogEvent> page = List.of();
    private String nextToken;
    private boolean pageLoaded;
    private int index;
    private boolean done;
    private long events;
    private long pagesFetched;

    StreamCursor(Position position, int ordinal, PageFetcher fetcher) {
        this.name = position.name();
        this.ordinal = ordinal;
        this.fetcher = fetcher;
        this.pageToken = position.pageToken();
        this.index = position.index();
        this.done = position.done();
        this.events = position.events();
    }

    public String name() {
        return name;
    }

    /** The stream's rank in name order: breaks timestamp ties between streams, stably. */
    int ordinal() {
        return ordinal;
    }

    public boolean isDone() {
        return done;
    }

    public long events() {
        return events;
    }

    long pagesFetched() {
        return pagesFetched;
    }

    public Position position() {
        return new Position(name, pageToken, index, done, events);
    }

    /** True until the page of {@link #position()} is fetched (the head of the stream, or where a checkpoint stopped). */
    boolean awaitsFirstPage() {
        return !pageLoaded && !done;
    }

    /** The next event of this stream, or null when it has none; fetches pages (skipping empty ones) as needed. */
    LogEvent head() {
        if (!pageLoaded && !done) {
            // Resuming: fetch the page in hand again; the events before {@code index} are already written.
            load(pageToken);
        }
        while (index >= page.size() && !done) {
            if (nextToken == null) {
                done = true;
                break;
            }
            String requested = nextToken;
            LogPage next = fetcher.fetch(name, requested, false);
            pagesFetched++;
            pageToken = requested;
            page = next.events();
            index = 0;
            nextToken = next.nextForwardToken();
            if (requested.equals(nextToken)) {
                // The one end-of-stream signal: the token we sent came back. Empty pages before it are not the end.
                // GetLogEvents' nextForwardToken: "If you have reached the end of the stream, it returns the same
                // token you passed in."
                // @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html
                nextToken = null;
            }
        }
        return index < page.size() ? page.get(index) : null;
    }

    /** The timestamp of the head; only valid after {@link #head()} returned an event. */
    long headTimestamp() {
        return page.get(index).timestamp();
    }

    /** Marks the current head as written. */
    void advance() {
        index++;
        events++;
    }

    private void load(String token) {
        LogPage first = fetcher.fetch(name, token, true);
        pagesFetched++;
        page = first.events();
        nextToken = first.nextForwardToken();
        if (token != null && token.equals(nextToken)) {
            nextToken = null;
        }
        pageLoaded = true;
        if (index > page.size()) {
            throw new IllegalStateException("stream " + name + " has fewer events than the checkpoint recorded");
        }
    }
}
