package com.mlplatform.logexport.worker.merge;

import com.mlplatform.logexport.worker.logs.LogEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

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

    private static final Comparator<StreamCursor> ORDER = Comparator
            .<StreamCursor>comparingLong(c -> c.head().timestamp())
            .thenComparingInt(StreamCursor::ordinal);

    private final List<StreamCursor> cursors;
    private final PriorityQueue<StreamCursor> heap;
    private boolean primed;

    /** {@code positions} must be in stream-name order; their index is the tie-break rank. */
    public KWayMerge(List<StreamCursor.Position> positions, PageFetcher fetcher) {
        List<StreamCursor> list = new ArrayList<>(positions.size());
        for (int i = 0; i < positions.size(); i++) {
            list.add(new StreamCursor(positions.get(i), i, fetcher));
        }
        this.cursors = Collections.unmodifiableList(list);
        this.heap = new PriorityQueue<>(Math.max(1, list.size()), ORDER);
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
        while (!heap.isEmpty()) {
            if (stop.shouldStop()) {
                return false;
            }
            StreamCursor next = heap.peek();
            sink.accept(next, next.head());
            heap.poll();
            next.advance();
            // May fetch the stream's next page (and throw); the event above is already written and accounted for.
            if (next.head() != null) {
                heap.add(next);
            }
        }
        return true;
    }

    private void prime() {
        if (primed) {
            return;
        }
        heap.clear();
        for (StreamCursor c : cursors) {
            if (c.head() != null) {
                heap.add(c);
            }
        }
        primed = true;
    }

    public long pagesFetched() {
        return cursors.stream().mapToLong(StreamCursor::pagesFetched).sum();
    }
}
