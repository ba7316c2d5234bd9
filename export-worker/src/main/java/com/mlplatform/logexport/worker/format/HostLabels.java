package com.mlplatform.logexport.worker.format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Short host labels for event lines, taken from SageMaker's stream names {@code <job>/algo-<n>-<epoch>}: the part
 * after the last {@code /}, without the epoch suffix ({@code algo-1}). A restarted host gets a new stream with the
 * same host; its events are labelled {@code algo-1#2}, {@code algo-1#3}, … in stream-name order (the epoch suffix
 * sorts by start time), so every line still says which stream it came from. The header lists label → stream.
 */
public final class HostLabels {

    private static final Pattern EPOCH_SUFFIX = Pattern.compile("^(.+)-\\d{9,}$");

    private HostLabels() {
    }

    /** Labels for {@code streams} (in name order), in the same order. */
    public static List<String> of(List<String> streams) {
        Map<String, List<Integer>> byBase = new LinkedHashMap<>();
        for (int i = 0; i < streams.size(); i++) {
            byBase.computeIfAbsent(base(streams.get(i)), k -> new ArrayList<>()).add(i);
        }
        Map<Integer, String> labels = new HashMap<>();
        byBase.forEach((base, indexes) -> {
            for (int n = 0; n < indexes.size(); n++) {
                labels.put(indexes.get(n), n == 0 ? base : base + "#" + (n + 1));
            }
        });
        List<String> out = new ArrayList<>(streams.size());
        for (int i = 0; i < streams.size(); i++) {
            out.add(labels.get(i));
        }
        return out;
    }

    static String base(String stream) {
        String last = stream.substring(stream.lastIndexOf('/') + 1);
        Matcher m = EPOCH_SUFFIX.matcher(last);
        String base = m.matches() ? m.group(1) : last;
        return base.isEmpty() ? stream : base;
    }
}
