package com.mlplatform.logexport.worker.format;

import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The name a browser saves an export as, {@code <training job>-logs-<yyyyMMdd'T'HHmmss'Z'>.<log|jsonl>[.gz]}, and
 * the {@code Content-Disposition} that carries it.
 *
 * <p>The name is safe in a header: no CR, LF, other control characters, quotes, backslashes, slashes or semicolons.
 * Non-ASCII characters (a training job name could have them) are kept in the name and sent per RFC 6266 / RFC 8187
 * as {@code filename*=UTF-8''…}, with an ASCII {@code filename="…"} fallback for old clients.
 */
public final class DownloadName {

    static final int MAX_NAME_CHARS = 150;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String ATTR_CHAR_EXTRA = "!#$&+-.^_`|~";

    private DownloadName() {
    }

    /** The descriptive file name, possibly with non-ASCII characters but never with header-breaking ones. */
    public static String filename(String trainingId, Instant exportTime, ExportFormat format,
                                  ExportCompression compression) {
        String job = headerSafe(trainingId);
        if (job.length() > MAX_NAME_CHARS) {
            job = job.substring(0, MAX_NAME_CHARS);
        }
        if (job.isBlank()) {
            job = "training-job";
        }
        return job + "-logs-" + STAMP.format(exportTime) + "." + format.extension() + compression.suffix();
    }

    /** The name with every character outside {@code [A-Za-z0-9._-]} replaced by {@code _}: for S3 keys and old clients. */
    public static String asciiFallback(String filename) {
        StringBuilder b = new StringBuilder(filename.length());
        filename.codePoints().forEach(cp -> b.append(cp < 128 && (Character.isLetterOrDigit(cp) || cp == '.'
                || cp == '-' || cp == '_') ? (char) cp : '_'));
        return b.toString();
    }

    /** {@code attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>}. */
    public static String contentDisposition(String filename) {
        String ascii = asciiFallback(headerSafe(filename));
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + percentEncode(headerSafe(filename));
    }

    static String headerSafe(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            boolean unsafe = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == '"' || cp == '\\' || cp == '/'
                    || cp == ';' || cp == '\u2028' || cp == '\u2029' || Character.getType(cp) == Character.FORMAT
                    || Character.isSurrogate((char) (cp & 0xFFFF)) && cp <= 0xFFFF;
            b.appendCodePoint(unsafe ? '_' : cp);
        });
        return b.toString().strip();
    }

    /** RFC 8187 value-chars: attr-char stays, every other byte of the UTF-8 form becomes %XX. */
    static String percentEncode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte raw : s.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xff;
            if (c < 128 && (Character.isLetterOrDigit(c) || ATTR_CHAR_EXTRA.indexOf(c) >= 0)) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return b.toString();
    }
}
