package com.mlplatform.logexport.worker.format;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * ISO-8601 UTC with milliseconds ({@code 2025-06-01T12:34:56.789Z}), fast: log events arrive in time order, so the
 * date-and-seconds part is formatted once per second and only the milliseconds per event.
 */
final class Timestamps {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.")
            .withZone(ZoneOffset.UTC);

    private long cachedSecond = Long.MIN_VALUE;
    private byte[] cachedPrefix;

    void write(long epochMillis, ByteScratch out) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != cachedSecond) {
            cachedPrefix = SECONDS.format(Instant.ofEpochSecond(second)).getBytes(StandardCharsets.US_ASCII);
            cachedSecond = second;
        }
        out.put(cachedPrefix);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        out.put((byte) ('0' + millis / 100));
        out.put((byte) ('0' + (millis / 10) % 10));
        out.put((byte) ('0' + millis % 10));
        out.put((byte) 'Z');
    }

    static String isoOf(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        return SECONDS.format(Instant.ofEpochSecond(second)) + String.format("%03dZ", millis);
    }
}
