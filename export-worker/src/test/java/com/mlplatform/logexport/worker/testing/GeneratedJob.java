package com.mlplatform.logexport.worker.testing;

import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.Progress;
import com.mlplatform.logexport.worker.logs.LogEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A generated training job: its streams (some of another job sharing the name prefix), and the order every event
 * must appear in the file: by timestamp, ties by stream name, then by position in the stream.
 */
public record GeneratedJob(String trainingId, Map<String, List<LogEvent>> streams, Long start, Long end) {

    public static final Instant CREATED = Instant.parse("2026-01-15T10:00:00Z");

    /** One event as the file must show it. */
    public record Expected(String stream, long timestamp, String message) {
    }

    /**
     * The same job moved in time by {@code offset} ms and with training id {@code trainingId} (the emulator drops
     * events older than 14 days, and each emulator case needs its own job name).
     */
    public GeneratedJob shifted(long offset, String newTrainingId) {
        Map<String, List<LogEvent>> moved = new TreeMap<>();
        streams.forEach((name, events) -> moved.put(newTrainingId + name.substring(trainingId.length()),
                events.stream().map(e -> new LogEvent(e.timestamp() + offset, e.message())).toList()));
        return new GeneratedJob(newTrainingId, moved, start == null ? null : start + offset,
                end == null ? null : end + offset);
    }

    /** Three hosts, a few interleaved events each. */
    public static GeneratedJob small() {
        long t = 1_767_000_000_000L;
        Map<String, List<LogEvent>> streams = new TreeMap<>();
        for (int h = 1; h <= 3; h++) {
            List<LogEvent> events = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                events.add(new LogEvent(t + i * 10L + h, "host " + h + " line " + i));
            }
            streams.put("small/algo-" + h + "-1767000000", events);
        }
        return new GeneratedJob("small", streams, null, null);
    }

    public InMemoryLogSource source() {
        InMemoryLogSource source = new InMemoryLogSource();
        streams.forEach(source::stream);
        return source;
    }

    public ExportJob job(ExportFormat format) {
        return job(format, ExportCompression.NONE);
    }

    public ExportJob job(ExportFormat format, ExportCompression compression) {
        return new ExportJob("exp-0000000000000000000000test", "uc-1", trainingId, "alice@example.com",
                new ExportOptions(format, start, end, compression), ExportStatus.RUNNING, CREATED, CREATED, null,
                Progress.NONE, null, null, null, 1);
    }

    /** The job's own streams, in name order. */
    public List<String> ownStreams() {
        return streams.keySet().stream().filter(s -> s.startsWith(trainingId + "/")).sorted().toList();
    }

    public List<Expected> expectedOrder() {
        record Ranked(Expected e, int streamRank, int index) {
        }
        List<Ranked> all = new ArrayList<>();
        List<String> own = ownStreams();
        for (int r = 0; r < own.size(); r++) {
            List<LogEvent> events = new ArrayList<>(streams.get(own.get(r)));
            events.sort(Comparator.comparingLong(LogEvent::timestamp));
            int i = 0;
            for (LogEvent e : events) {
                if ((start == null || e.timestamp() >= start) && (end == null || e.timestamp() < end)) {
                    all.add(new Ranked(new Expected(own.get(r), e.timestamp(), e.message()), r, i));
                }
                i++;
            }
        }
        all.sort(Comparator.comparingLong((Ranked x) -> x.e().timestamp()).thenComparingInt(Ranked::streamRank)
                .thenComparingInt(Ranked::index));
        return all.stream().map(Ranked::e).toList();
    }

    public Map<String, Long> expectedCounts() {
        Map<String, Long> counts = new TreeMap<>();
        for (String s : ownStreams()) {
            counts.put(s, 0L);
        }
        for (Expected e : expectedOrder()) {
            counts.merge(e.stream(), 1L, Long::sum);
        }
        return counts;
    }
}
