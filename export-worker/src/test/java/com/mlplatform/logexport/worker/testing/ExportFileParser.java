package com.mlplatform.logexport.worker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.shared.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** Reads an export file back, independently of the code that wrote it, and checks its structure on the way. */
public final class ExportFileParser {

    public static final Pattern EVENT_LINE = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z) \\[([^\\]\\n]+)\\] (.*)$");
    private static final Pattern STREAM_LINE = Pattern.compile("^#   \\[([^\\]]+)\\] (.+): (\\d+) events?$");

    /** An event read back: the host label (text) or stream (JSON Lines), its ISO timestamp and message. */
    public record Line(String timestamp, String label, String stream, String message) {
    }

    public record TextFile(Map<String, String> header, Map<String, Long> streamCounts, Map<String, String> labels,
                           List<Line> events, String footer) {
    }

    private ExportFileParser() {
    }

    /** Decompresses every gzip member of {@code file}, back to back, as {@code gzip -d} does. */
    public static byte[] gunzip(byte[] file) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(file))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TextFile text(byte[] file) {
        String s = new String(file, StandardCharsets.UTF_8);
        if (!s.endsWith("\n")) {
            throw new AssertionError("file does not end with a newline");
        }
        Map<String, String> header = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        List<Line> events = new ArrayList<>();
        String footer = null;
        boolean inHeader = true;
        StringBuilder message = null;
        String ts = null;
        String label = null;
        int indent = 0;
        String[] lines = s.substring(0, s.length() - 1).split("\n", -1);
        for (String line : lines) {
            if (footer != null) {
                throw new AssertionError("text after the closing line: " + line);
            }
            if (inHeader) {
                if (line.equals("#")) {
                    inHeader = false;
                    continue;
                }
                Matcher sm = STREAM_LINE.matcher(line);
                if (sm.matches()) {
                    counts.put(sm.group(2), Long.parseLong(sm.group(3)));
                    labels.put(sm.group(2), sm.group(1));
                } else if (line.startsWith("# ") && line.contains(": ")) {
                    int colon = line.indexOf(": ");
                    header.put(line.substring(2, colon), line.substring(colon + 2));
                } else if (!line.startsWith("#")) {
                    throw new AssertionError("unexpected header line: " + line);
                }
                continue;
            }
            if (line.startsWith("# end of export ")) {
                footer = line;
                continue;
            }
            Matcher m = EVENT_LINE.matcher(line);
            if (m.matches()) {
                if (message != null) {
                    events.add(new Line(ts, label, null, message.toString()));
                }
                ts = m.group(1);
                label = m.group(2);
                message = new StringBuilder(m.group(3));
                indent = 24 + (" [" + label + "] ").length();
            } else if (line.startsWith(" ") && message != null) {
                if (line.length() < indent || !line.substring(0, indent).isBlank()) {
                    throw new AssertionError("continuation line not indented: " + line);
                }
                message.append('\n').append(line.substring(indent));
            } else {
                throw new AssertionError("line is neither an event nor a continuation: " + line);
            }
        }
        if (message != null) {
            events.add(new Line(ts, label, null, message.toString()));
        }
        return new TextFile(header, counts, labels, events, footer);
    }

    public static List<Line> jsonLines(byte[] file) {
        String s = new String(file, StandardCharsets.UTF_8);
        List<Line> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        if (!s.endsWith("\n")) {
            throw new AssertionError("file does not end with a newline");
        }
        for (String line : s.substring(0, s.length() - 1).split("\n", -1)) {
            try {
                JsonNode n = Json.MAPPER.readTree(line);
                if (n.size() != 4) {
                    throw new AssertionError("expected 4 fields: " + line);
                }
                out.add(new Line(n.get("timestamp").asText(), n.get("host").asText(), n.get("stream").asText(),
                        n.get("message").asText()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** How the text format shows a message: line breaks normalised to LF, trailing breaks dropped. */
    public static String asShownInText(String message) {
        String unified = message.replace("\r\n", "\n").replaceAll("[\r\u000B\u000C\u0085\u2028\u2029]", "\n");
        int end = unified.length();
        while (end > 0 && unified.charAt(end - 1) == '\n') {
            end--;
        }
        return unified.substring(0, end);
    }
}
