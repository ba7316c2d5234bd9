package com.mlplatform.logexport.reliability.child;

import java.util.Optional;

/**
 * The lines a child JVM prints for its parent, among the handlers' own log lines: {@code @@<kind> <text>}. A child
 * prints them with {@link #print}, which flushes, so the parent has read a crash line before it kills the child.
 *
 * @param kind what happened: {@link #CRASH}, {@link #RESPONSE}, {@link #RECONCILED}, …
 * @param text the rest of the line
 */
public record ChildLine(String kind, String text) {

    private static final String PREFIX = "@@";

    /** The child reached its crash point and is blocked there, waiting to be killed. */
    public static final String CRASH = "crash";
    /** A call the child saw (operation and phase with its occurrence), for the trial's record. */
    public static final String POINT = "point";
    /** The request API child's answer to one request: a JSON object. */
    public static final String RESPONSE = "response";
    /** One scheduled reconciler run finished. */
    public static final String RECONCILED = "reconciled";
    /** The reconciler run threw: its class name and message. */
    public static final String RECONCILE_ERROR = "reconcile-error";
    /** The reconciler class is not on the class path: the reconcile step cannot run at all. */
    public static final String RECONCILER_MISSING = "reconciler-missing";
    /** The child has built its handler (its cold start is over) and is serving. */
    public static final String READY = "ready";

    public static Optional<ChildLine> parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int space = line.indexOf(' ');
        return Optional.of(space < 0 ? new ChildLine(line.substring(2), "")
                : new ChildLine(line.substring(2, space), line.substring(space + 1)));
    }

    public static void print(String kind, String text) {
        synchronized (System.out) {
            System.out.println(PREFIX + kind + " " + text);
            System.out.flush();
        }
    }
}
