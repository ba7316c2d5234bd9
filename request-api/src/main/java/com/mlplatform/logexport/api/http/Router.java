package com.mlplatform.logexport.api.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Matches a raw request path against {@link Operation}s. It works on the raw path, segment by segment, and never
 * decodes: {@code %2F} stays inside its segment, where the identifier patterns (which allow no {@code %}) reject it
 * with a 400 naming the field, instead of silently becoming a path separator.
 */
public final class Router {

    /** The outcome of routing one request. */
    public sealed interface Route {
    }

    /** A known path and method; {@code params} holds the raw (undecoded) path segments by name. */
    public record Matched(Operation operation, Map<String, String> params) implements Route {
    }

    /** A known path asked with {@code OPTIONS}: a CORS preflight. */
    public record Preflight(Set<String> allowedMethods) implements Route {
    }

    /** A known path with a method it does not support. */
    public record MethodNotAllowed(Set<String> allowedMethods) implements Route {
    }

    public record NotFound() implements Route {
    }

    public Route route(String method, String rawPath) {
        List<String> segments = split(rawPath);
        if (segments == null) {
            return new NotFound();
        }
        Set<String> allowed = new TreeSet<>();
        for (Operation op : Operation.values()) {
            Map<String, String> params = match(op, segments);
            if (params == null) {
                continue;
            }
            if (op.method().equals(method)) {
                return new Matched(op, params);
            }
            allowed.add(op.method());
        }
        if (allowed.isEmpty()) {
            return new NotFound();
        }
        allowed.add("OPTIONS");
        return "OPTIONS".equals(method) ? new Preflight(allowed) : new MethodNotAllowed(allowed);
    }

    /** The path's segments, or null for a path no route can have (not absolute, empty segment, trailing slash). */
    private static List<String> split(String rawPath) {
        if (rawPath == null || rawPath.length() < 2 || rawPath.charAt(0) != '/') {
            return null;
        }
        String[] parts = rawPath.substring(1).split("/", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                return null;
            }
        }
        return List.of(parts);
    }

    private static Map<String, String> match(Operation op, List<String> segments) {
        List<String> template = op.segments();
        if (template.size() != segments.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (t.startsWith("{")) {
                params.put(t.substring(1, t.length() - 1), segments.get(i));
            } else if (!t.equals(segments.get(i))) {
                return null;
            }
        }
        return params;
    }
}
