package com.mlplatform.logexport.worker.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * AWS's shape in front of the emulator: every call waits a modelled round trip before it is forwarded, and
 * CloudWatch Logs read calls above the account's quota are answered as AWS answers them (HTTP 400,
 * {@code ThrottlingException}) without reaching the emulator.
 *
 * <p>Latency: {@link Latency#fixed} or {@link Latency#heavyTailed} (lognormal, median 45 ms, σ 0.35, at least
 * 30 ms: 90 % of calls between about 30 and 80 ms, a tail beyond; seeded, so a run is repeatable in distribution).
 * Quota: one token bucket per operation for the whole proxy, i.e. per account, since in the benchmark only the
 * use-case account calls CloudWatch Logs; its size is one second of quota (AWS does not publish its burst).
 *
 * @see <a href="https://docs.aws.amazon.com/general/latest/gr/cwl_region.html">CloudWatch Logs quotas</a>
 */
final class LatencyProxy implements AutoCloseable {

    private static final String LOGS_TARGET = "Logs_20140328.";
    private static final byte[] THROTTLED = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive");

    /** How long one call waits before it is forwarded. */
    interface Latency {
        long nextMillis();

        static Latency fixed(long millis) {
            return () -> millis;
        }

        static Latency heavyTailed(long seed) {
            Random random = new Random(seed);
            return () -> {
                double gaussian;
                synchronized (random) {
                    gaussian = random.nextGaussian();
                }
                return Math.max(30, Math.round(45 * Math.exp(0.35 * gaussian)));
            };
        }
    }

    /** A per-account, per-operation quota: {@code perSecond} calls a second, one second's worth at once. */
    static final class Quota {
        private final double perSecond;
        private double tokens;
        private long refilledAt = System.nanoTime();

        Quota(double perSecond) {
            this.perSecond = perSecond;
            this.tokens = perSecond;
        }

        synchronized boolean tryTake() {
            long now = System.nanoTime();
            tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / 1e9);
            refilledAt = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(96, LatencyProxy::daemon);
    private final ExecutorService forwarding = Executors.newFixedThreadPool(8, LatencyProxy::daemon);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(forwarding).build();
    private final URI target;
    private final Map<String, Quota> quotas;
    private volatile Latency latency = Latency.fixed(0);
    /** Per CloudWatch Logs operation: calls answered by the emulator, and calls refused with throttling. */
    final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> throttled = new ConcurrentHashMap<>();

    LatencyProxy(URI target, Map<String, Double> quotasPerSecond) throws IOException {
        this.target = target;
        this.quotas = new ConcurrentHashMap<>();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        this.server.setExecutor(threads);
        this.server.createContext("/", this::handle);
        this.server.start();
        quotasPerSecond.forEach((operation, perSecond) -> quotas.put(operation, new Quota(perSecond)));
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The model for the next calls; quotas start full again, counters at zero. */
    void reset(Latency next, Map<String, Double> quotasPerSecond) {
        this.latency = next;
        quotas.clear();
        quotasPerSecond.forEach((operation, perSecond) -> quotas.put(operation, new Quota(perSecond)));
        served.clear();
        throttled.clear();
    }

    long served(String operation) {
        return served.getOrDefault(operation, new AtomicLong()).get();
    }

    long throttled(String operation) {
        return throttled.getOrDefault(operation, new AtomicLong()).get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            sleep(latency.nextMillis());
            String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = amzTarget != null && amzTarget.startsWith(LOGS_TARGET)
                    ? amzTarget.substring(LOGS_TARGET.length()) : null;
            if (operation != null) {
                Quota quota = quotas.get(operation);
                if (quota != null && !quota.tryTake()) {
                    throttled.computeIfAbsent(operation, o -> new AtomicLong()).incrementAndGet();
                    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                    exchange.getResponseHeaders().add("x-amzn-ErrorType", "ThrottlingException");
                    exchange.sendResponseHeaders(400, THROTTLED.length);
                    exchange.getResponseBody().write(THROTTLED);
                    return;
                }
                served.computeIfAbsent(operation, o -> new AtomicLong()).incrementAndGet();
            }
            forward(exchange, body);
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .timeout(Duration.ofMinutes(2))
                .method(exchange.getRequestMethod(), body.length == 0 && exchange.getRequestMethod().equals("GET")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        response.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        byte[] bytes = response.body();
        boolean noBody = exchange.getRequestMethod().equals("HEAD") || response.statusCode() == 204
                || response.statusCode() == 304;
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!noBody && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        forwarding.shutdownNow();
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "latency-proxy");
        t.setDaemon(true);
        return t;
    }
}
