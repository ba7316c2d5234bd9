package com.mlplatform.logexport.worker.testing;

import com.mlplatform.logexport.worker.logs.LogEvent;
import com.mlplatform.logexport.worker.logs.LogPage;
import com.mlplatform.logexport.worker.logs.LogSource;
import com.mlplatform.logexport.worker.logs.TimeWindow;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real log source in memory, paging the way CloudWatch Logs does: events in timestamp order (stable for equal
 * timestamps), pages of at most {@code limit} events and 1 MB (message bytes + 26 each), opaque forward tokens, the
 * sent token returned at the end. Optionally inserts empty pages mid-stream (AWS does; moto does not), always at
 * the same positions so that a token fetches the same page every time.
 */
public final class InMemoryLogSource implements LogSource {

    static final long PAGE_BYTES = 1_048_576;

    private final Map<String, List<LogEvent>> streams = new TreeMap<>();
    private boolean emptyPages;
    private Runnable onCall = () -> { };
    private int pageCalls;

    public InMemoryLogSource stream(String name, List<LogEvent> events) {
        List<LogEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(LogEvent::timestamp)); // stable: equal timestamps keep their order
        streams.put(name, sorted);
        return this;
    }

    public InMemoryLogSource withEmptyPagesMidStream() {
        this.emptyPages = true;
        return this;
    }

    /** Runs on every call, e.g. to advance a manual clock. */
    public InMemoryLogSource onCall(Runnable r) {
        this.onCall = r;
        return this;
    }

    public int pageCalls() {
        return pageCalls;
    }

    public Map<String, List<LogEvent>> streams() {
        return streams;
    }

    @Override
    public List<String> streamNames(String prefix) {
        onCall.run();
        return streams.keySet().stream().filter(s -> s.startsWith(prefix)).sorted().toList();
    }

    @Override
    public LogPage page(String stream, String token, TimeWindow window, int limit) {
        onCall.run();
        pageCalls++;
        List<LogEvent> all = streams.getOrDefault(stream, List.of());
        List<LogEvent> events = window.isOpen() ? all
                : all.stream().filter(e -> window.contains(e.timestamp())).toList();
        boolean afterEmpty = token != null && token.startsWith("e/");
        int index = token == null ? 0 : Integer.parseInt(token.substring(2));
        if (emptyPages && !afterEmpty && index > 0 && index < events.size() && Math.floorMod(
                (stream + index).hashCode(), 3) == 0) {
            return new LogPage(List.of(), "e/" + index);
        }
        if (index >= events.size()) {
            String end = "f/" + events.size();
            return new LogPage(List.of(), token != null && token.startsWith("f/") ? token : end);
        }
        List<LogEvent> page = new ArrayList<>();
        long bytes = 0;
        int i = index;
        while (i < events.size() && page.size() < limit) {
            long size = events.get(i).message().getBytes(StandardCharsets.UTF_8).length + 26L;
            if (!page.isEmpty() && bytes + size > PAGE_BYTES) {
                break;
            }
            page.add(events.get(i));
            bytes += size;
            i++;
        }
        return new LogPage(page, "f/" + i);
    }
}
