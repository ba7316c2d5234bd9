package com.mlplatform.logexport.worker.bench;

import com.mlplatform.logexport.worker.format.HostLabels;
import com.mlplatform.logexport.worker.format.JsonLinesLogFormat;
import com.mlplatform.logexport.worker.format.LogFileFormat;
import com.mlplatform.logexport.worker.format.TextLogFormat;
import com.mlplatform.logexport.worker.logs.LogEvent;
import com.mlplatform.logexport.worker.logs.LogPage;
import com.mlplatform.logexport.worker.merge.KWayMerge;
import com.mlplatform.logexport.worker.merge.StreamCursor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The export's CPU path — k-way heap merge of every stream plus formatting — against the cheapest thing that
 * could possibly produce a file from the same messages: writing them one after another as UTF-8 lines. Both write
 * to the same counting sink; pages are prepared in memory beforehand so neither side pays for generating them.
 * One operation = the whole job ({@link #STREAMS} streams × {@code eventsPerStream} events).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class MergeFormatBenchmark {

    static final int STREAMS = 16;
    static final int PAGE = 10_000;

    @Param({"12500"})
    public int eventsPerStream;

    private List<String> names;
    private Map<String, Map<String, LogPage>> pages;
    private List<List<LogEvent>> byStream;

    @Setup
    public void setUp() {
        SyntheticLogs logs = new SyntheticLogs("bench", STREAMS, eventsPerStream);
        names = logs.streamNames("bench/");
        pages = new HashMap<>();
        byStream = new ArrayList<>();
        for (String name : names) {
            Map<String, LogPage> list = new HashMap<>();
            List<LogEvent> all = new ArrayList<>();
            String token = null;
            while (true) {
                LogPage p = logs.page(name, token, null, PAGE);
                list.put(String.valueOf(token), p);
                all.addAll(p.events());
                if (p.nextForwardToken().equals(token)) {
                    break;
                }
                token = p.nextForwardToken();
            }
            pages.put(name, list);
            byStream.add(all);
        }
    }

    public long events() {
        return (long) STREAMS * eventsPerStream;
    }

    @Benchmark
    public long mergeAndFormatText() {
        return merge(new TextLogFormat());
    }

    @Benchmark
    public long mergeAndFormatJsonLines() {
        return merge(new JsonLinesLogFormat());
    }

    /** The merge alone (heap order, paging), writing nothing: how the cost splits between merging and formatting. */
    @Benchmark
    public long mergeOnly() {
        List<StreamCursor.Position> positions = names.stream().map(StreamCursor.Position::start).toList();
        KWayMerge merge = new KWayMerge(positions, (stream, token, refetch) -> page(stream, token));
        long[] n = {0};
        merge.run((cursor, event) -> n[0] += event.message().length(), () -> false);
        return n[0];
    }

    /** The baseline: every message as a UTF-8 line, stream after stream, no ordering, no decoration. */
    @Benchmark
    public long rawConcatenation() {
        CountingSink sink = new CountingSink();
        for (List<LogEvent> events : byStream) {
            for (LogEvent e : events) {
                sink.write(e.message().getBytes(StandardCharsets.UTF_8));
                sink.write('\n');
            }
        }
        return sink.count;
    }

    private long merge(LogFileFormat format) {
        CountingSink sink = new CountingSink();
        List<StreamCursor.Position> positions = names.stream().map(StreamCursor.Position::start).toList();
        KWayMerge merge = new KWayMerge(positions, (stream, token, refetch) -> page(stream, token));
        List<String> labels = HostLabels.of(names);
        Map<StreamCursor, LogFileFormat.StreamStyle> styles = new IdentityHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            styles.put(merge.cursors().get(i), format.styleFor(names.get(i), labels.get(i)));
        }
        merge.run((cursor, event) -> {
            try {
                format.writeEvent(styles.get(cursor), event, sink);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, () -> false);
        return sink.count;
    }

    private LogPage page(String stream, String token) {
        return pages.get(stream).get(String.valueOf(token));
    }

    /** Counts bytes and drops them; what a file would receive. */
    static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }

        @Override
        public void write(byte[] b) {
            count += b.length;
        }
    }
}
