package com.mlplatform.logexport.worker.format;

import com.mlplatform.logexport.worker.logs.LogEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * JSON Lines: one object per event, {@code {"timestamp":"2025-06-01T12:00:00.123Z","stream":"job/algo-1-1700000000",
 * "host":"algo-1","message":"..."}}. No header or footer lines, so every line parses as an event; the counts are in
 * the job's progress. Strings are escaped per RFC 8259, plus U+2028/U+2029 so the output is also valid JavaScript.
 */
public final class JsonLinesLogFormat implements LogFileFormat {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIMESTAMP = "{\"timestamp\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = ",\"message\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\"}\n".getBytes(StandardCharsets.US_ASCII);

    private final Timestamps timestamps = new Timestamps();
    private final ByteScratch line = new ByteScratch();

    /** {@code ","stream":"…","host":"…"} ready-encoded. */
    record Style(byte[] streamAndHost) implements StreamStyle {
    }

    @Override
    public StreamStyle styleFor(String stream, String label) {
        ByteScratch s = new ByteScratch();
        s.put("\",\"stream\":\"".getBytes(StandardCharsets.US_ASCII));
        escape(stream, s);
        s.put("\",\"host\":\"".getBytes(StandardCharsets.US_ASCII));
        escape(label, s);
        s.put((byte) '"');
        return new Style(s.toByteArray());
    }

    @Override
    public void writeEvent(StreamStyle streamStyle, LogEvent event, OutputStream out) throws IOException {
        Style style = (Style) streamStyle;
        line.reset();
        line.put(TIMESTAMP);
        timestamps.write(event.timestamp(), line);
        line.put(style.streamAndHost);
        line.put(MESSAGE);
        escape(event.message(), line);
        line.put(END);
        line.writeTo(out);
    }

    static void escape(String s, ByteScratch out) {
        int n = s.length();
        int run = 0; // start of the current run of ASCII characters that need no escaping
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                continue;
            }
            out.putAscii(s, run, i);
            if (c == '"' || c == '\\') {
                out.put((byte) '\\');
                out.put((byte) c);
            } else if (c == '\n') {
                out.put((byte) '\\');
                out.put((byte) 'n');
            } else if (c == '\t') {
                out.put((byte) '\\');
                out.put((byte) 't');
            } else if (c == '\r') {
                out.put((byte) '\\');
                out.put((byte) 'r');
            } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                out.put((byte) '\\');
                out.put((byte) 'u');
                out.put(HEX[(c >> 12) & 0xF]);
                out.put(HEX[(c >> 8) & 0xF]);
                out.put(HEX[(c >> 4) & 0xF]);
                out.put(HEX[c & 0xF]);
            } else {
                i = out.putNonAscii(s, i, n);
            }
            run = i + 1;
        }
        out.putAscii(s, run, n);
    }

    @Override
    public byte[] header(ExportSummary summary) {
        return new byte[0];
    }

    @Override
    public byte[] footer(ExportSummary summary) {
        return new byte[0];
    }
}
