package com.mlplatform.logexport.worker.format;

import com.mlplatform.logexport.worker.logs.LogEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The default, human-readable file:
 * <pre>
 * # Training job logs
 * # training job:  my-job
 * # ...header: use case, export id, requested by, generated at, time range, streams with counts, total...
 * 2025-06-01T12:00:00.123Z [algo-1] epoch 1 loss=0.5
 * 2025-06-01T12:00:00.200Z [algo-2] Traceback (most recent call last):
 *                                     File "train.py", line 3
 * # end of export exp-…: 2 events from 2 streams
 * </pre>
 * Every event line starts with a digit, continuation lines of a multi-line message with a space, header and
 * closing lines with {@code #}: a message cannot forge an event line or a summary, whatever it contains. Breaks
 * that some viewers honour besides LF ({@code CR, VT, FF, NEL, U+2028, U+2029}) are treated as line breaks too.
 */
public final class TextLogFormat implements LogFileFormat {

    private final Timestamps timestamps = new Timestamps();
    private final ByteScratch line = new ByteScratch();

    record Style(byte[] prefix, byte[] indent) implements StreamStyle {
    }

    @Override
    public StreamStyle styleFor(String stream, String label) {
        byte[] prefix = (" [" + label + "] ").getBytes(StandardCharsets.UTF_8);
        // Timestamp (24 bytes) + prefix: continuation lines line up under the first line's message.
        byte[] indent = " ".repeat(24 + (" [" + label + "] ").length()).getBytes(StandardCharsets.US_ASCII);
        return new Style(prefix, indent);
    }

    @Override
    public void writeEvent(StreamStyle streamStyle, LogEvent event, OutputStream out) throws IOException {
        Style style = (Style) streamStyle;
        line.reset();
        timestamps.write(event.timestamp(), line);
        line.put(style.prefix);
        String m = event.message();
        if (firstBreak(m) < 0) {
            // The common case, a single-line message: the JDK's intrinsic encoder is the fastest way to UTF-8.
            line.put(m.getBytes(StandardCharsets.UTF_8));
        } else {
            writeLines(m, style);
        }
        line.put((byte) '\n');
        line.writeTo(out);
    }

    private void writeLines(String m, Style style) {
        int end = trimTrailingBreaks(m);
        int start = 0;
        for (int i = 0; i < end; i++) {
            char c = m.charAt(i);
            if (isBreak(c)) {
                line.putUtf8(m, start, i);
                line.put((byte) '\n');
                line.put(style.indent);
                if (c == '\r' && i + 1 < end && m.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        line.putUtf8(m, start, end);
    }

    /**
     * The index of the first line break, or -1. String.indexOf is vectorised by the JVM, which makes seven calls
     * much cheaper than one loop over the characters; for Latin-1 strings the non-Latin-1 searches return at once.
     */
    static int firstBreak(String m) {
        int first = -1;
        for (char c : BREAKS) {
            int i = m.indexOf(c);
            if (i >= 0 && (first < 0 || i < first)) {
                first = i;
            }
        }
        return first;
    }

    private static final char[] BREAKS = {'\n', '\r', '\u000B', '\u000C', '\u0085', '\u2028', '\u2029'};

    static boolean isBreak(char c) {
        return c == '\n' || c == '\r' || c == '\u000B' || c == '\u000C' || c == '\u0085' || c == '\u2028'
                || c == '\u2029';
    }

    private static int trimTrailingBreaks(String m) {
        int end = m.length();
        while (end > 0 && isBreak(m.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    @Override
    public byte[] header(ExportSummary s) {
        StringBuilder b = new StringBuilder(512 + 96 * s.streams().size());
        b.append("# Training job logs\n");
        field(b, "training job", s.trainingId());
        field(b, "use case", s.usecaseId());
        field(b, "export id", s.exportId());
        field(b, "requested by", s.requestedBy());
        field(b, "generated at", Timestamps.isoOf(s.generatedAt().toEpochMilli()));
        field(b, "time range", s.firstEvent() == null ? "no events"
                : Timestamps.isoOf(s.firstEvent()) + " to " + Timestamps.isoOf(s.lastEvent()));
        if (s.requestedStart() != null || s.requestedEnd() != null) {
            field(b, "requested range", (s.requestedStart() == null ? "start of logs"
                    : Timestamps.isoOf(s.requestedStart())) + " (inclusive) to " + (s.requestedEnd() == null
                    ? "end of logs" : Timestamps.isoOf(s.requestedEnd()) + " (exclusive)"));
        }
        field(b, "streams", Integer.toString(s.streams().size()));
        for (ExportSummary.StreamCount c : s.streams()) {
            b.append("#   [").append(clean(c.label())).append("] ").append(clean(c.stream())).append(": ")
                    .append(c.events()).append(c.events() == 1 ? " event\n" : " events\n");
        }
        field(b, "total events", Long.toString(s.totalEvents()));
        b.append("# line format: <UTC timestamp> [<host>] <message>; continuation lines of a message are indented\n");
        b.append("#\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footer(ExportSummary s) {
        return ("# end of export " + clean(s.exportId()) + ": " + s.totalEvents() + " events from "
                + s.streams().size() + " streams\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append("# ").append(name).append(": ").append(clean(value)).append('\n');
    }

    /** Header values come from users and stream names: control characters and line breaks are made visible. */
    static String clean(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder b = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
            if (control && b == null) {
                b = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            if (b != null) {
                if (control) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? value : b.toString();
    }

    /** For tests and the benchmark: the ISO form used on event lines. */
    public static String iso(Instant t) {
        return Timestamps.isoOf(t.toEpochMilli());
    }
}
