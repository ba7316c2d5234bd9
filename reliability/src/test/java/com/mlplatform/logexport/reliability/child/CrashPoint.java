package com.mlplatform.logexport.reliability.child;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A moment in a handler's life, named by the AWS call around it: {@code PutItem/exports:after:2} is "just after the
 * second PutItem on the exports table returned". Occurrences count from the start of the child JVM, so a worker that
 * handles several hops counts across them.
 *
 * @param operation  the SDK operation name, for DynamoDB followed by {@code /exports} or {@code /usecases}
 * @param phase      before the request is sent, or after its response arrived (its effect is then durable)
 * @param occurrence 1 for the first such call
 */
public record CrashPoint(String operation, Phase phase, int occurrence) {

    /** The environment variable that arms a child: a comma-separated list of points, any of which stops it. */
    public static final String ENV = "CRASH_AT";

    public enum Phase {
        BEFORE, AFTER;

        String label() {
            return name().toLowerCase();
        }
    }

    public CrashPoint {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(phase, "phase");
        if (operation.isBlank() || operation.contains(":") || operation.contains(",")) {
            throw new IllegalArgumentException("bad operation: " + operation);
        }
        if (occurrence < 1) {
            throw new IllegalArgumentException("occurrence must be at least 1: " + occurrence);
        }
    }

    public static CrashPoint before(String operation, int occurrence) {
        return new CrashPoint(operation, Phase.BEFORE, occurrence);
    }

    public static CrashPoint after(String operation, int occurrence) {
        return new CrashPoint(operation, Phase.AFTER, occurrence);
    }

    /** Parses {@code <operation>:<before|after>:<n>}. */
    public static CrashPoint parse(String text) {
        String[] parts = text.trim().split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("crash point must be <operation>:<before|after>:<n>, got " + text);
        }
        return new CrashPoint(parts[0], Phase.valueOf(parts[1].toUpperCase()), Integer.parseInt(parts[2]));
    }

    public static List<CrashPoint> parseList(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).filter(s -> !s.isBlank()).map(CrashPoint::parse).toList();
    }

    public static String formatList(List<CrashPoint> points) {
        return String.join(",", points.stream().map(CrashPoint::toString).toList());
    }

    @Override
    public String toString() {
        return operation + ":" + phase.label() + ":" + occurrence;
    }
}
