package com.mlplatform.logexport.worker.logs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Reads pages before the merge asks for them, so an export of P pages over k streams costs about
 * max(P ÷ k, P ÷ quota) round trips instead of P: the first page of every stream at once when the merge starts
 * ({@link #prefetch}), and a stream's next page as soon as its current page is handed to the merge.
 *
 * <p><b>Bounds.</b> At most one page per stream is read ahead (the next token is only known once a page arrives, so
 * a second one could not start earlier anyway), on top of the page the merge's cursor holds: memory stays
 * O(streams × page), at most 2 pages per stream — 2 × 10,000 events or 2 × 1 MB, and with the merge's page limit
 * (200,000 events ÷ streams) at most 400,000 events in all. At most {@code threads} calls are in flight at once,
 * counting the merge's own (a pool of that many threads, and one permit per call), and each call first takes a
 * token from the {@link ReadBudget}.
 *
 * <p><b>Same behaviour as the sequential reader.</b> It serves exactly the pages the merge asks for, with the
 * tokens it asks with; a page read ahead with other parameters is dropped and read again. A failed read ahead is
 * rethrown to the merge's thread only when it asks for that page, inside its retrier: throttling backs off and
 * asks again (then read directly), an expired token refreshes credentials, access denied fails the export — as
 * if the call had just been made. The checkpoint is the merge's cursors' business and never sees what was read
 * ahead. {@link #close} cancels whatever is still outstanding (on pause, finish or failure).
 */
public final class ReadAheadLogSource implements LogSource, AutoCloseable {

    /**
     * Pages read ahead per stream, beyond the one the merge's cursor holds. One is all that can help (a page's token
     * comes from the page before it), and it fixes the memory bound: (1 + this) × {@code KWayMerge}'s page budget
     * = 2 × 200,000 events, and 2 × 1 MB (GetLogEvents' page cap) per stream.
     */
    public static final int PAGES_AHEAD_PER_STREAM = 1;

    private final LogSource delegate;
    private final ReadBudget budget;
    private final BooleanSupplier stopReadingAhead;
    private final Semaphore inFlight;
    private final ExecutorService pool;
    /** The one page read ahead per stream, by stream name. */
    private final Map<String, Ahead> ahead = new HashMap<>();
    private boolean closed;
    /**
     * What the budget is told a reader could still spend ({@link ReadBudget#acquire(int)}): the streams asked for,
     * less those seen to end (the token sent came back) and those in a call.
     */
    private final Set<String> streams = ConcurrentHashMap.newKeySet();
    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inCall = new AtomicInteger();

    /** A page being read (or read) ahead, and the request that reads it. */
    private record Ahead(String token, TimeWindow window, int limit, Future<LogPage> page) {
        boolean answers(String otherToken, TimeWindow otherWindow, int otherLimit) {
            return Objects.equals(token, otherToken) && window.equals(otherWindow) && limit == otherLimit;
        }
    }

    /**
     * @param stopReadingAhead true once no new page should be started ahead (the invocation's deadline has passed);
     *                         pages the merge asks for are still read
     */
    public ReadAheadLogSource(LogSource delegate, int threads, ReadBudget budget, BooleanSupplier stopReadingAhead) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.delegate = delegate;
        this.budget = budget;
        this.stopReadingAhead = stopReadingAhead;
        this.inFlight = new Semaphore(threads);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "log-read-ahead-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        this.pool = executor;
    }

    /**
     * The reader {@code settings} ask for: a read-ahead over {@code delegate} taking a token of {@code budget} before
     * every page, or the sequential reader, {@code delegate} itself (one call at a time: it takes no tokens).
     */
    public static LogSource of(LogSource delegate, ReadAheadSettings settings, ReadBudget budget,
                               BooleanSupplier stopReadingAhead) {
        return settings.sequential() ? delegate
                : new ReadAheadLogSource(delegate, settings.threads(), budget, stopReadingAhead);
    }

    /** Closes {@code source} if it is a read-ahead (cancelling its outstanding reads); a no-op otherwise. */
    public static void closeIfReadingAhead(LogSource source) {
        if (source instanceof ReadAheadLogSource r) {
            r.close();
        }
    }

    @Override
    public List<String> streamNames(String prefix) {
        return delegate.streamNames(prefix);
    }

    @Override
    public LogPage page(String stream, String token, TimeWindow window, int limit) {
        streams.add(stream);
        Ahead read;
        synchronized (this) {
            read = ahead.remove(stream);
        }
        LogPage page = null;
        if (read != null && read.answers(token, window, limit)) {
            page = await(read.page());
        } else if (read != null) {
            read.page().cancel(true);
        }
        if (page == null) {
            page = readNow(stream, token, window, limit);
        }
        String next = page.nextForwardToken();
        if (next != null && !next.equals(token)) {
            // Handed to the merge: this stream's next page can start. (The sent token coming back is the end.)
            prefetch(stream, next, window, limit);
        }
        return page;
    }

    /** Starts reading the page {@code token} of {@code stream} unless it is already being read or reading stopped. */
    @Override
    public void prefetch(String stream, String token, TimeWindow window, int limit) {
        synchronized (this) {
            Ahead current = ahead.get(stream);
            if (closed || stopReadingAhead.getAsBoolean()
                    || current != null && current.answers(token, window, limit)) {
                return;
            }
            if (current != null) {
                current.page().cancel(true);
            }
            streams.add(stream);
            ahead.put(stream, new Ahead(token, window, limit,
                    pool.submit(() -> readNow(stream, token, window, limit))));
        }
    }

    @Override
    public void close() {
        List<Ahead> outstanding;
        synchronized (this) {
            closed = true;
            outstanding = new ArrayList<>(ahead.values());
            ahead.clear();
        }
        outstanding.forEach(a -> a.page().cancel(true));
        pool.shutdownNow();
        try {
            // A call already on the wire may not notice the interrupt; do not hold the invocation up for it.
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A page read ahead, or what reading it threw; null when it was cancelled (then it is read again). */
    private static LogPage await(Future<LogPage> page) {
        try {
            return page.get();
        } catch (CancellationException e) {
            return null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a log page", e);
        }
    }

    private LogPage readNow(String stream, String token, TimeWindow window, int limit) {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("read-ahead closed");
        }
        try {
            budget.acquire(Math.max(1, streams.size() - ended.size() - inCall.get()));
            inCall.incrementAndGet();
            try {
                LogPage page = delegate.page(stream, token, window, limit);
                if (page.nextForwardToken() == null || page.nextForwardToken().equals(token)) {
                    ended.add(stream);
                }
                return page;
            } finally {
                inCall.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("read-ahead closed");
        } finally {
            inFlight.release();
        }
    }
}
