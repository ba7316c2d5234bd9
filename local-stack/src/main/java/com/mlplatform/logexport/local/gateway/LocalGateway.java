package com.mlplatform.logexport.local.gateway;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The local stand-in for API Gateway (HTTP API): listens on loopback only, turns each request into the payload
 * 2.0 event the deployed request-API Lambda receives, and writes the handler's response back. Routes come from the
 * request API's OpenAPI document; unknown routes get API Gateway's own {@code 404 {"message":"Not Found"}}, and a
 * route that needs a JWT gets {@code 401 {"message":"Unauthorized"}} without a dev identity ({@link DevIdentity}).
 *
 * <p>Besides the API it serves the web page ({@code /}) and {@code /local/*}: local-only helpers that do not exist
 * in the cloud.
 */
public final class LocalGateway implements AutoCloseable {

    /** Largest request body API Gateway HTTP APIs accept (10 MB); locally the same limit applies. */
    static final int MAX_BODY = 10 * 1024 * 1024;
    private static final Duration API_TIMEOUT = Duration.ofSeconds(30);
    private static final String WEB_ROOT = "/local-stack/web";
    private static final Map<String, String> STATIC_TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "ico", "image/x-icon");

    private final HttpServer server;
    private final ExecutorService executor;
    private final RouteTable routes;
    private final DevIdentity identity;
    private final HttpApiEvents events;
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;
    private final Supplier<String> scenarioJson;
    private final PrintStream console;
    private final Clock clock;

    public LocalGateway(int port, RouteTable routes, DevIdentity identity, HttpApiEvents events,
                        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
                        Supplier<String> scenarioJson, PrintStream console, Clock clock) throws IOException {
        this.routes = routes;
        this.identity = identity;
        this.events = events;
        this.handler = handler;
        this.scenarioJson = scenarioJson;
        this.console = console;
        this.clock = clock;
        // Loopback only: the dev identity header must never be reachable from another machine.
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "gateway");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI baseUri() {
        return URI.create("http://localhost:" + port() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            if (path.equals("/local/scenario") && method.equals("GET")) {
                send(exchange, 200, "application/json; charset=utf-8",
                        scenarioJson.get().getBytes(StandardCharsets.UTF_8), Map.of());
            } else if (path.equals("/") || path.startsWith("/local/")) {
                serveStatic(exchange, path.equals("/") ? "/index.html" : path.substring("/local".length()));
            } else {
                api(exchange, method, path);
            }
        } catch (RuntimeException e) {
            // API Gateway's answer when the integration fails; the details go to the console, not the client.
            console.println("[gateway] " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                    + " failed: " + e);
            sendJson(exchange, 500, "{\"message\":\"Internal Server Error\"}");
        }
    }

    private void api(HttpExchange exchange, String method, String path) throws IOException {
        var match = routes.match(method, path);
        if (match.isEmpty() && method.equals("OPTIONS") && routes.hasPath(path)) {
            // A CORS preflight: API Gateway answers it before any authorizer; here the handler's CORS code does.
            match = Optional.of(new RouteTable.Match(new RouteTable.Route("OPTIONS", path, false), Map.of()));
        }
        if (match.isEmpty()) {
            sendJson(exchange, 404, "{\"message\":\"Not Found\"}");
            return;
        }
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            sendJson(exchange, 413, "{\"message\":\"Request Entity Too Large\"}");
            return;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        Map<String, String> flat = new LinkedHashMap<>();
        headers.forEach((k, v) -> flat.put(k, String.join(",", v)));
        var now = clock.instant();
        Map<String, String> claims = Map.of();
        var user = identity.userId(flat);
        if (match.get().route().authorized()) {
            if (user.isEmpty()) {
                sendJson(exchange, 401, "{\"message\":\"Unauthorized\"}");
                return;
            }
            claims = identity.claims(user.get(), now);
        }
        String host = exchange.getRequestHeaders().getFirst("Host");
        var request = new GatewayRequest(method, path, exchange.getRequestURI().getRawQuery(), headers, body,
                exchange.getRemoteAddress().getAddress().getHostAddress(), host == null ? "localhost" : host);
        APIGatewayV2HTTPEvent event = events.toEvent(request, match.get(), claims, now);
        APIGatewayV2HTTPResponse response = handler.handleRequest(event,
                new CountdownContext("request-api", API_TIMEOUT, clock));
        writeResponse(exchange, response);
        console.println("[gateway] " + method + " " + path + " -> " + response.getStatusCode()
                + user.map(u -> " (user " + DevIdentity.forConsole(u) + ")").orElse(""));
    }

    private static void writeResponse(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        var out = exchange.getResponseHeaders();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach(out::set);
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((k, vs) -> vs.forEach(v -> out.add(k, v)));
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(c -> out.add("Set-Cookie", c));
        }
        byte[] body = HttpApiEvents.responseBody(response);
        if (!out.containsKey("Content-Type") && body.length > 0) {
            // HTTP API's default for a payload 2.0 response without a content type.
            out.set("Content-Type", "application/json");
        }
        int status = response.getStatusCode() == 0 ? 200 : response.getStatusCode();
        exchange.sendResponseHeaders(status, status == 204 || status == 304 || body.length == 0 ? -1 : body.length);
        if (body.length > 0 && status != 204 && status != 304) {
            exchange.getResponseBody().write(body);
        }
    }

    private void serveStatic(HttpExchange exchange, String file) throws IOException {
        if (file.contains("..") || !file.matches("/[A-Za-z0-9._/-]+")) {
            sendJson(exchange, 404, "{\"message\":\"Not Found\"}");
            return;
        }
        try (InputStream in = LocalGateway.class.getResourceAsStream(WEB_ROOT + file)) {
            if (in == null) {
                sendJson(exchange, 404, "{\"message\":\"Not Found\"}");
                return;
            }
            String ext = file.substring(file.lastIndexOf('.') + 1);
            send(exchange, 200, STATIC_TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes(),
                    Map.of("Cache-Control", "no-store"));
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        return body.length > MAX_BODY ? null : body;
    }

    private static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body,
                             Map<String, String> extra) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        extra.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
