package com.mlplatform.logexport.worker.merge;

import com.mlplatform.logexport.worker.logs.LogEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Merges many time-ordered streams into one time-ordered sequence with a heap of stream cursors: O(log k) per event
 * for k streams, one page per stream in memory.
 *
 * <p>Ties are stable: equal timestamps come out in stream-name order, and within a stream in the stream's own order
 * (a cursor only ever offers its next event). The order is therefore a pure function of the streams' contents,
 * which is what makes a resumed export byte-identical to an uninterrupted one.
 */
public final class KWayMerge {

    /** Receives each event in merged order. */
    @FunctionalInterface
    public interface EventSink {
        void accept(StreamCursor stream, LogEvent event);
    }

    /** Asked between events whether to stop (time budget, cancellation). */
    @FunctionalInterface
    public interface StopCheck {
        boolean shouldStop();
    }

    /** Told, before the merge starts, which page of each stream it is about to read first. */
    @FunctionalInterface
    public interface FirstPages {
        void willRead(String stream, String token);

        FirstPages IGNORED = (stream, token) -> { };
    }

    /** Events buffered per stream are bounded by this budget across streams (each page is also ≤ 1 MB on AWS). */
    static final int PAGE_EVENTS_BUDGET = 200_000;
    static final int MAX_PAGE_EVENTS = 10_000;
    static final int MIN_PAGE_EVENTS = 100;

    private final List<StreamCursor> cursors;
    /** A binary min-heap of the cursors that have a next event, ordered by (timestamp, stream rank). */
    private final StreamCursor[] heap;
    private final FirstPages firstPages;
    private int size;
    private boolean primed;

    /** {@code positions} must be in stream-name order; their index is the tie-break rank. */
    public KWayMerge(List<StreamCursor.Position> positions, PageFetcher fetcher) {
        this(positions, fetcher, FirstPages.IGNORED);
    }

    /**
     * As {@link #KWayMerge(List, PageFetcher)}, and tells {@code firstPages} every stream's first page before reading
     * any, so that a reader can fetch them all at once (see {@code ReadAheadLogSource}).
     */
    public KWayMerge(List<StreamCursor.Position> positions, PageFetcher fetcher, FirstPages firstPages) {
        this.firstPages = firstPages;
        List<StreamCursor> list = new ArrayList<>(positions.size());
        for (int i = 0; i < positions.size(); i++) {
            list.add(new StreamCursor(positions.get(i), i, fetcher));
        }
        this.cursors = Collections.unmodifiableList(list);
        this.heap = new StreamCursor[list.size()];
    }

    /** How many events to ask for per page so that one page of every stream fits the memory budget. */
    public static int pageLimit(int streams) {
        int perStream = PAGE_EVENTS_BUDGET / Math.max(1, streams);
        return Math.max(MIN_PAGE_EVENTS, Math.min(MAX_PAGE_EVENTS, perStream));
    }

    public List<StreamCursor> cursors() {
        return cursors;
    }

    public List<StreamCursor.Position> positions() {
        return cursors.stream().map(StreamCursor::position).toList();
    }

    /**
     * Emits events in merged order until every stream is done (returns true) or {@code stop} says to stop (returns
     * false). Stops only between events, and every cursor's position then says exactly what has been emitted, even
     * if a page fetch throws.
     */
    public boolean run(EventSink sink, StopCheck stop) {
        prime();
        while (size > 0) {
            if (stop.shouldStop()) {
                return false;
            }
            StreamCursor next = heap[0];
            sink.accept(next, next.head());
            next.advance();
            // May fetch the stream's next page (and throw); the event above is already written and accounted for.
            if (next.head() == null) {
                heap[0] = heap[--size];
                heap[size] = null;
            }
            // Replace-top: one sift-down instead of a poll and an add.
            siftDown(0);
        }
        return true;
    }

    private void prime() {
        if (primed) {
            return;
        }
        size = 0;
        for (StreamCursor c : cursors) {
            if (c.awaitsFirstPage()) {
                firstPages.willRead(c.name(), c.position().pageToken());
            }
        }
        for (StreamCursor c : cursors) {
            if (c.head() != null) {
                heap[size++] = c;
            }
        }
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
        primed = true;
    }

    private void siftDown(int i) {
        if (size == 0) {
            return;
        }
        StreamCursor moving = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) {
                child = right;
            }
            if (!before(heap[child], moving)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = moving;
    }

    /** Earlier timestamp first; on a tie, the stream that sorts first by name. */
    private static boolean before(StreamCursor a, StreamCursor b) {
        long ta = a.headTimestamp();
        long tb = b.headTimestamp();
        return ta < tb || (ta == tb && a.ordinal() < b.ordinal());
    }

    public long pagesFetched() {
        return cursors.stream().mapToLong(StreamCursor::pagesFetched).sum();
    }
}
