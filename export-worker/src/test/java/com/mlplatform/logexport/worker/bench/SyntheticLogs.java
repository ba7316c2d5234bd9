package com.mlplatform.logexport.worker.bench;

import com.mlplatform.logexport.worker.logs.LogEvent;
import com.mlplatform.logexport.worker.logs.LogPage;
import com.mlplatform.logexport.worker.logs.LogSource;
import com.mlplatform.logexport.worker.logs.TimeWindow;
import java.util.ArrayList;
import java.util.List;

/**
 * Training-log-like events computed from (stream, index) on demand, so a benchmark can read gigabytes without
 * holding them: ~110-byte progress lines with interleaved timestamps across hosts, and every 500th event a
 * multi-line traceback. Pages like CloudWatch (forward tokens, same token at the end).
 */
public record SyntheticLogs(String job, int streams, long eventsPerStream) implements LogSource {

    static final long T0 = 1_767_000_000_000L;
    private static final String[] WORDS = {"loss", "lr", "grad_norm", "tokens/s", "throughput", "mem_gb"};

    public String streamName(int s) {
        return job + "/algo-" + (s + 1) + "-1767000000";
    }

    /** Event {@code i} of stream {@code s}: hosts log at slightly different rates, so timestamps interleave. */
    public static LogEvent event(int s, long i) {
        long ts = T0 + i * 20 + (s * 7L) % 20;
        StringBuilder m = new StringBuilder(160);
        m.append("[rank ").append(s).append("] step ").append(i).append(' ');
        for (int w = 0; w < WORDS.length; w++) {
            m.append(WORDS[w]).append('=').append((i * 31 + w * 17 + s) % 10_000 / 100.0).append(' ');
        }
        if (i % 500 == 499) {
            m.append("\nTraceback (most recent call last):\n  File \"train.py\", line 42, in step\n"
                    + "RuntimeError: CUDA out of memory (retrying)");
        }
        return new LogEvent(ts, m.toString());
    }

    public long totalEvents() {
        return streams * eventsPerStream;
    }

    @Override
    public List<String> streamNames(String prefix) {
        List<String> names = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            if (streamName(s).startsWith(prefix)) {
                names.add(streamName(s));
            }
        }
        names.sort(null);
        return names;
    }

    @Override
    public LogPage page(String stream, String token, TimeWindow window, int limit) {
        int s = Integer.parseInt(stream.substring(stream.indexOf("/algo-") + 6, stream.lastIndexOf('-'))) - 1;
        long from = token == null ? 0 : Long.parseLong(token.substring(2));
        if (from >= eventsPerStream) {
            return new LogPage(List.of(), token == null ? "f/" + eventsPerStream : token);
        }
        long to = Math.min(eventsPerStream, from + limit);
        List<LogEvent> events = new ArrayList<>((int) (to - from));
        for (long i = from; i < to; i++) {
            events.add(event(s, i));
        }
        return new LogPage(events, "f/" + to);
    }
}
