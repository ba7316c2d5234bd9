package com.mlplatform.logexport.local.seed;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A timestamp in a seed file. Relative forms exist because the emulator (like CloudWatch Logs) drops events older
 * than 14 days, so a seed written today must still load next month:
 * <ul>
 *   <li>{@code "now"};</li>
 *   <li>{@code "-2h"}, {@code "-1h30m"}, {@code "-90s"}, {@code "-250ms"}, {@code "-1d2h"}: that long before the
 *       moment the seed is loaded;</li>
 *   <li>{@code "+12.5s"}, {@code "+3m"}: that long after the enclosing log stream's {@code startedAt};</li>
 *   <li>an ISO-8601 instant such as {@code "2025-06-01T12:00:00Z"}, or epoch milliseconds.</li>
 * </ul>
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html">PutLogEvents</a>
 */
public final class SeedTime {

    private static final Pattern DURATION = Pattern.compile(
            "(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+(?:\\.\\d{1,3})?)s)?(?:(\\d+)ms)?");
    private static final Pattern EPOCH_MILLIS = Pattern.compile("\\d{10,}");

    private SeedTime() {
    }

    /**
     * Resolves {@code value} against the load time {@code now} and, for {@code +} forms, the stream start.
     *
     * @throws IllegalArgumentException with a message naming the accepted forms
     */
    public static Instant resolve(String value, Instant now, Optional<Instant> streamStart) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a timestamp is required (e.g. \"-2h\", \"+1.5s\" or an ISO instant)");
        }
        String v = value.strip();
        if (v.equals("now")) {
            return now;
        }
        if (v.startsWith("-")) {
            return now.minus(duration(v.substring(1), value));
        }
        if (v.startsWith("+")) {
            Instant start = streamStart.orElseThrow(() -> new IllegalArgumentException(
                    "\"" + value + "\" is relative to the stream's startedAt, but the stream has none"));
            return start.plus(duration(v.substring(1), value));
        }
        if (EPOCH_MILLIS.matcher(v).matches()) {
            return Instant.ofEpochMilli(Long.parseLong(v));
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw invalid(value);
        }
    }

    /** {@code "1h30m"} → 90 minutes. Units: d, h, m, s (up to 3 decimals), ms, in that order. */
    public static Duration duration(String text, String original) {
        Matcher m = DURATION.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            throw invalid(original);
        }
        Duration d = Duration.ZERO;
        if (m.group(1) != null) {
            d = d.plusDays(Long.parseLong(m.group(1)));
        }
        if (m.group(2) != null) {
            d = d.plusHours(Long.parseLong(m.group(2)));
        }
        if (m.group(3) != null) {
            d = d.plusMinutes(Long.parseLong(m.group(3)));
        }
        if (m.group(4) != null) {
            d = d.plusMillis(Math.round(Double.parseDouble(m.group(4)) * 1000));
        }
        if (m.group(5) != null) {
            d = d.plusMillis(Long.parseLong(m.group(5)));
        }
        return d;
    }

    /** The shortest {@code -…} form for a duration, used when writing seed files. */
    public static String before(Duration d) {
        return "-" + format(d);
    }

    /** The shortest {@code +…} form for a duration, used when writing seed files. */
    public static String after(Duration d) {
        return "+" + format(d);
    }

    private static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative");
        }
        StringBuilder sb = new StringBuilder();
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        long seconds = d.toSecondsPart();
        long millis = d.toMillisPart();
        if (days > 0) {
            sb.append(days).append('d');
        }
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (minutes > 0) {
            sb.append(minutes).append('m');
        }
        if (seconds > 0 || millis > 0) {
            sb.append(seconds);
            if (millis > 0) {
                sb.append('.').append(String.format("%03d", millis).replaceAll("0+$", ""));
            }
            sb.append('s');
        }
        return sb.isEmpty() ? "0s" : sb.toString();
    }

    private static IllegalArgumentException invalid(String value) {
        return new IllegalArgumentException("cannot read timestamp \"" + value + "\": use \"now\", \"-2h\", \"-1h30m\","
                + " \"-90s\", \"-250ms\" (before load time), \"+12.5s\" (after the stream's startedAt),"
                + " an ISO-8601 instant or epoch milliseconds");
    }
}
