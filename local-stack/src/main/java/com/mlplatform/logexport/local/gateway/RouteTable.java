package com.mlplatform.logexport.local.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The HTTP API's routes, read from the request API's OpenAPI document (the same file the deployed API is built
 * from), matched the way API Gateway HTTP APIs match them: {@code {name}} takes one path segment,
 * {@code {name+}} the rest of the path, and the route with the most literal segments wins.
 */
public final class RouteTable {

    /** Where request-api keeps its OpenAPI document; on the class path through the request-api jar. */
    public static final String OPENAPI_RESOURCE = "/openapi.yaml";

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final List<Route> routes;

    public RouteTable(List<Route> routes) {
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparingInt(Route::literalSegments).reversed()
                .thenComparing(r -> r.greedy() ? 1 : 0)
                .thenComparing(r -> r.method().equals("ANY") ? 1 : 0));
        this.routes = List.copyOf(sorted);
    }

    /** A route: {@code method} upper-case, {@code path} the template; {@code authorized} when a JWT is required. */
    public record Route(String method, String path, boolean authorized) {

        public String routeKey() {
            return method + " " + path;
        }

        List<String> segments() {
            return split(path);
        }

        int literalSegments() {
            return (int) segments().stream().filter(s -> !s.startsWith("{")).count();
        }

        boolean greedy() {
            return path.endsWith("+}");
        }
    }

    /** A matched request: the route and the path parameters, URL-decoded. */
    public record Match(Route route, Map<String, String> pathParameters) {
    }

    public List<Route> routes() {
        return routes;
    }

    public static RouteTable fromClasspath() {
        try (InputStream in = RouteTable.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the request API's OpenAPI document " + OPENAPI_RESOURCE
                        + " is not on the class path (request-api/src/main/resources/openapi.yaml)");
            }
            return fromOpenApi(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + OPENAPI_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static RouteTable fromOpenApi(InputStream yaml) {
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        // infra/template.yaml puts a JWT authorizer on every route (DefaultAuthorizer); an OpenAPI document
        // that says otherwise at the top, or an operation with "security: []", opts out as it would in the cloud.
        boolean securedByDefault = !doc.containsKey("security") || hasSecurity(doc.get("security"));
        var paths = (Map<String, Map<String, Object>>) doc.getOrDefault("paths", Map.of());
        List<Route> routes = new ArrayList<>();
        paths.forEach((path, item) -> item.forEach((key, operation) -> {
            String method = key.toLowerCase(Locale.ROOT);
            if (METHODS.contains(method) || method.equals("x-amazon-apigateway-any-method")) {
                boolean secured = securedByDefault;
                if (operation instanceof Map<?, ?> op && op.containsKey("security")) {
                    secured = hasSecurity(op.get("security"));
                }
                routes.add(new Route(method.startsWith("x-") ? "ANY" : method.toUpperCase(Locale.ROOT), path,
                        secured));
            }
        }));
        if (routes.isEmpty()) {
            throw new IllegalStateException("the OpenAPI document defines no routes");
        }
        return new RouteTable(routes);
    }

    private static boolean hasSecurity(Object security) {
        return security instanceof List<?> list && !list.isEmpty()
                && list.stream().anyMatch(r -> r instanceof Map<?, ?> m && !m.isEmpty());
    }

    /** The route for a request, if any; {@code rawPath} is still URL-encoded. */
    public Optional<Match> match(String method, String rawPath) {
        List<String> actual = split(rawPath);
        for (Route route : routes) {
            if (!route.method().equals("ANY") && !route.method().equalsIgnoreCase(method)) {
                continue;
            }
            Map<String, String> params = matchSegments(route.segments(), actual);
            if (params != null) {
                return Optional.of(new Match(route, params));
            }
        }
        return Optional.empty();
    }

    /** Whether some route has this path but another method (API Gateway still answers 404 then). */
    public boolean hasPath(String rawPath) {
        List<String> actual = split(rawPath);
        return routes.stream().anyMatch(r -> matchSegments(r.segments(), actual) != null);
    }

    private static Map<String, String> matchSegments(List<String> template, List<String> actual) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (t.startsWith("{") && t.endsWith("+}")) {
                if (i >= actual.size()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 2), decode(String.join("/", actual.subList(i, actual.size()))));
                return params;
            }
            if (i >= actual.size()) {
                return null;
            }
            String a = actual.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                if (a.isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), decode(a));
            } else if (!t.equals(a)) {
                return null;
            }
        }
        return template.size() == actual.size() ? params : null;
    }

    private static List<String> split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? List.of() : List.of(p.split("/", -1));
    }

    private static String decode(String s) {
        // Path segments: '+' is a literal plus, not a space.
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
