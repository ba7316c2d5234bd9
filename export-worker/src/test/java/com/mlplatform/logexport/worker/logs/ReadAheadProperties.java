package com.mlplatform.logexport.worker.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.worker.failure.RetryableFailure;
import com.mlplatform.logexport.worker.invocation.InvocationResult;
import com.mlplatform.logexport.worker.testing.GeneratedJob;
import com.mlplatform.logexport.worker.testing.InMemoryLogSource;
import com.mlplatform.logexport.worker.testing.InMemoryMultipartStore;
import com.mlplatform.logexport.worker.testing.InvocationRunner;
import com.mlplatform.logexport.worker.testing.JobGenerators;
import com.mlplatform.logexport.worker.testing.ManualClock;
import com.mlplatform.logexport.worker.testing.RecordingLedger;
import com.mlplatform.logexport.worker.upload.PartSizePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The read-ahead changes when pages are read, never what the export writes or records: over generated jobs, with
 * a source whose calls take a random 0–2 ms (so concurrent reads complete in any order), the file, every
 * continuation's checkpoint and the number of invocations are the same as with the sequential reader — and the
 * read-ahead never has more calls in flight than its threads, nor more than one page per stream ahead of the merge.
 */
class ReadAheadProperties {

    static final PartSizePolicy SMALL_PARTS = new PartSizePolicy(512, 512);
    static final Predicate<Call> NEVER_THROTTLED = call -> false;

    @Property(tries = 80)
    void readAhead_writesTheSameFileAndCheckpoints_asTheSequentialReader(
            @ForAll("jobs") GeneratedJob generated, @ForAll @IntRange(min = 1, max = 6) int pagesPerInvocation,
            @ForAll boolean emptyPages, @ForAll boolean jsonLines, @ForAll @IntRange(min = 1, max = 4) int threads) {
        if (generated.expectedOrder().isEmpty()) {
            return; // no events: NO_LOGS before any page is read ahead (ExportProperties covers it)
        }
        ExportFormat format = jsonLines ? ExportFormat.JSONL : ExportFormat.TEXT;
        Run sequential = new Run(generated, emptyPages, 0, NEVER_THROTTLED);
        Run readAhead = new Run(generated, emptyPages, threads, NEVER_THROTTLED);
        InvocationRunner.Outcome expected = sequential.export(format, pagesPerInvocation);
        InvocationRunner.Outcome actual = readAhead.export(format, pagesPerInvocation);

        assertThat(actual.last()).isInstanceOf(InvocationResult.Finished.class);
        assertThat(actual.file()).isEqualTo(expected.file());
        assertThat(actual.checkpoints()).as("every continuation's checkpoint").isEqualTo(expected.checkpoints());
        assertThat(actual.invocations()).isEqualTo(expected.invocations());
        assertThat(readAhead.slow.maxInFlight.get()).as("calls in flight at once").isLessThanOrEqualTo(threads);
        assertThat(readAhead.slow.violations).as("pages read ahead of the merge, per stream").isEmpty();
    }

    @Example
    void readAhead_runsUpToItsThreadsAtOnce_andNeverMoreThanOnePageAheadPerStream() {
        GeneratedJob job = manyStreams(24, 250);
        Run readAhead = new Run(job, false, 4, NEVER_THROTTLED);
        InvocationRunner.Outcome outcome = readAhead.export(ExportFormat.TEXT, 1_000);

        assertThat(outcome.last()).isInstanceOf(InvocationResult.Finished.class);
        assertThat(readAhead.slow.maxInFlight.get()).as("the cap is reached, never exceeded").isEqualTo(4);
        assertThat(readAhead.slow.violations).isEmpty();
        assertThat(outcome.file()).isEqualTo(new Run(job, false, 0, NEVER_THROTTLED)
                .export(ExportFormat.TEXT, 1_000).file());
    }

    @Example
    void aFailedReadAhead_isThrownInTheMergesThread_whenItsPageIsNeeded_andRetriedThere() {
        GeneratedJob job = manyStreams(3, 400);
        // Every stream's second page (token non-null, not the first call of the stream) is throttled once.
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        Run readAhead = new Run(job, false, 4, call -> call.token() != null
                && failures.computeIfAbsent(call.stream(), s -> new AtomicInteger()).getAndIncrement() == 0);
        InvocationRunner.Outcome outcome = readAhead.export(ExportFormat.TEXT, 1_000);

        assertThat(outcome.file()).isEqualTo(new Run(job, false, 0, NEVER_THROTTLED)
                .export(ExportFormat.TEXT, 1_000).file());
        assertThat(readAhead.merge.failuresSeen).as("each throttled read reached the merge's thread once")
                .containsOnly(Thread.currentThread().getName()).hasSize(3);
    }

    /** {@code streams} streams of {@code events} events each, interleaved in time. */
    private static GeneratedJob manyStreams(int streams, int events) {
        Map<String, List<LogEvent>> all = new TreeMap<>();
        long t0 = GeneratedJob.CREATED.toEpochMilli() - 3_600_000;
        for (int s = 0; s < streams; s++) {
            List<LogEvent> list = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                list.add(new LogEvent(t0 + i * 7L + s % 5, "stream " + s + " event " + i));
            }
            all.put(String.format("train-ra/algo-%d-1700000000", s + 1), list);
        }
        return new GeneratedJob("train-ra", all, null, null);
    }

    @Provide
    Arbitrary<GeneratedJob> jobs() {
        return JobGenerators.jobs();
    }

    /** One GetLogEvents request. */
    record Call(String stream, String token) {
    }

    /** One export of a job, read sequentially ({@code threads} 0) or ahead, with a fresh clock and store. */
    private static final class Run {
        final ManualClock clock = new ManualClock(GeneratedJob.CREATED);
        final Merge merge = new Merge();
        final SlowSource slow;
        final GeneratedJob generated;
        final int threads;

        Run(GeneratedJob generated, boolean emptyPages, int threads, Predicate<Call> throttle) {
            this.generated = generated;
            this.threads = threads;
            InMemoryLogSource memory = generated.source();
            if (emptyPages) {
                memory.withEmptyPagesMidStream();
            }
            this.slow = new SlowSource(memory, merge, throttle);
        }

        InvocationRunner.Outcome export(ExportFormat format, int pagesPerInvocation) {
            InMemoryMultipartStore store = new InMemoryMultipartStore(SMALL_PARTS.minimumBytes());
            return new InvocationRunner(clock, store, SMALL_PARTS).run(generated.job(format), () -> {
                // What one invocation read ahead and did not use is cancelled or dropped when it ends: count anew.
                merge.requested.clear();
                slow.started.clear();
                merge.reader = threads == 0 ? slow : new ReadAheadLogSource(slow, threads, ReadBudget.UNLIMITED,
                        () -> false);
                return merge;
            }, Duration.ofMillis(pagesPerInvocation * 1000L - 500), new RecordingLedger());
        }

        /**
         * What the merge calls: every call it makes costs one second of the manual clock, whichever reader serves
         * it, so both readers pause at the same places.
         */
        final class Merge implements LogSource, AutoCloseable {
            LogSource reader;
            final Map<String, Integer> requested = new ConcurrentHashMap<>();
            final List<String> failuresSeen = Collections.synchronizedList(new ArrayList<>());

            @Override
            public List<String> streamNames(String prefix) {
                clock.advance(Duration.ofSeconds(1));
                return reader.streamNames(prefix);
            }

            @Override
            public LogPage page(String stream, String token, TimeWindow window, int limit) {
                clock.advance(Duration.ofSeconds(1));
                requested.merge(stream, 1, Integer::sum);
                try {
                    return reader.page(stream, token, window, limit);
                } catch (RetryableFailure e) {
                    failuresSeen.add(Thread.currentThread().getName());
                    throw e;
                }
            }

            @Override
            public void prefetch(String stream, String token, TimeWindow window, int limit) {
                reader.prefetch(stream, token, window, limit);
            }

            @Override
            public void close() {
                ReadAheadLogSource.closeIfReadingAhead(reader);
            }

            /** Pages of {@code stream} the merge has asked for (a retry asks again). */
            int requested(String stream) {
                return requested.getOrDefault(stream, 0);
            }
        }
    }

    /** The in-memory source with 0–2 ms per call, counting calls in flight and calls ahead of the merge. */
    private static final class SlowSource implements LogSource {
        final LogSource delegate;
        final Run.Merge merge;
        final Predicate<Call> throttle;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final Map<String, AtomicInteger> started = new ConcurrentHashMap<>();
        final List<String> violations = Collections.synchronizedList(new ArrayList<>());

        SlowSource(LogSource delegate, Run.Merge merge, Predicate<Call> throttle) {
            this.delegate = delegate;
            this.merge = merge;
            this.throttle = throttle;
        }

        @Override
        public List<String> streamNames(String prefix) {
            return delegate.streamNames(prefix);
        }

        @Override
        public LogPage page(String stream, String token, TimeWindow window, int limit) {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            int calls = started.computeIfAbsent(stream, s -> new AtomicInteger()).incrementAndGet();
            // The merge's cursor holds one page; at most one more may be read before the merge asks for it.
            if (calls > merge.requested(stream) + ReadAheadLogSource.PAGES_AHEAD_PER_STREAM) {
                violations.add(stream + ": call " + calls + " after " + merge.requested(stream) + " requests");
            }
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                if (throttle.test(new Call(stream, token))) {
                    throw new RetryableFailure(RetryableFailure.Kind.THROTTLED, "logs:GetLogEvents", null);
                }
                synchronized (delegate) {
                    return delegate.page(stream, token, window, limit);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }
}
