package com.mlplatform.logexport.emulator.bench;

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
 * Quota: one token bucket per account and operation, holding one second of quota (AWS does not publish its
 * burst). The account of a CloudWatch Logs call is that of the role whose credentials signed it: the proxy reads
 * the account from each AssumeRole request's RoleArn and the access key id from its answer.
 *
 * <p><b>Replay.</b> moto builds a 10,000-event GetLogEvents page in Python in hundreds of milliseconds, which AWS
 * does not; so in {@link Mode#RECORD} the proxy keeps every GetLogEvents and FilterLogEvents answer (by account and
 * request body) and in {@link Mode#REPLAY} serves it again without asking moto: a measured call then costs the
 * modelled round trip and the quota only. Everything else (S3, DynamoDB, SQS, STS, DescribeLogStreams) always
 * reaches moto; the time moto spends on each operation is summed ({@link #upstreamMillis}), which is how the
 * benchmarks show where time goes. With no quotas and no recordings it is a plain delay line in front of any HTTP
 * server (the local stack's gateway, for instance).
 *
 * @see <a href="https://docs.aws.amazon.com/general/latest/gr/cwl_region.html">CloudWatch Logs quotas</a>
 */
public final class LatencyProxy implements AutoCloseable {

    private static final String LOGS_TARGET = "Logs_20140328.";
    /** The paged read calls whose answers are recorded and replayed (see the class comment). */
    private static final Set<String> REPLAYED = Set.of("GetLogEvents", "FilterLogEvents");
    private static final byte[] THROTTLED = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive");

    public enum Mode { FORWARD, RECORD, REPLAY }

    /** An answer from the emulator. */
    private record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    }

    /**
     * A read answer kept for replay, its body off the heap (about 100 MB for the benchmark's jobs), so the
     * peak heap the benchmark reports stays the worker's own.
     */
    private record Recorded(int status, Map<String, List<String>> headers, java.nio.ByteBuffer body) {
        static Recorded of(Answer answer) {
            java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(answer.body().length);
            direct.put(answer.body()).flip();
            return new Recorded(answer.status(), answer.headers(), direct);
        }

        byte[] bytes() {
            byte[] copy = new byte[body.remaining()];
            body.duplicate().get(copy);
            return copy;
        }
    }

    private static final java.util.regex.Pattern ROLE_ACCOUNT =
            java.util.regex.Pattern.compile("RoleArn=arn%3Aaws%3Aiam%3A%3A(\\d{12})%3A");
    private static final java.util.regex.Pattern ACCESS_KEY =
            java.util.regex.Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>");
    private static final java.util.regex.Pattern SIGNED_BY =
            java.util.regex.Pattern.compile("Credential=([^/]+)/");

    /**
     * One event of the timeline, {@code seconds} after the last reset: a CloudWatch Logs call of {@code account}
     * served ({@code kind} = its operation) or throttled ({@code "throttled"}), or a successful write to the account's
     * GetLogEvents read budget ({@code "budget"}, {@code bookedUntil} = the bucket's new arrival time, epoch ms).
     */
    public record Mark(double seconds, String account, String kind, double bookedUntil) {
    }

    private static final java.util.regex.Pattern BUDGET_KEY =
            java.util.regex.Pattern.compile("read-budget#(\\d{12})#[^#\"]+#GetLogEvents");
    private static final java.util.regex.Pattern TAT =
            java.util.regex.Pattern.compile("\"tat\"\\s*:\\s*\\{\\s*\"N\"\\s*:\\s*\"([0-9.E+-]+)\"");

    /** How long one call waits before it is forwarded. */
    public interface Latency {
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
    public static final class Quota {
        private final double perSecond;
        private double tokens;
        private long refilledAt = System.nanoTime();

        public Quota(double perSecond) {
            this.perSecond = perSecond;
            this.tokens = perSecond;
        }

        public synchronized boolean tryTake() {
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

    static {
        // The JDK's HttpServer writes a response's headers and body separately; with Nagle's algorithm on, the body
        // waits for the client's delayed ACK of the headers (~40 ms a call) — a cost AWS does not have. Read once,
        // when the first server is built, so it must be set before.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(96, LatencyProxy::daemon);
    private final ExecutorService forwarding = Executors.newFixedThreadPool(8, LatencyProxy::daemon);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(forwarding).build();
    private final URI target;
    /** Per "account operation". */
    private final Map<String, Quota> quotas = new ConcurrentHashMap<>();
    private volatile Map<String, Double> quotasPerSecond;
    private volatile Latency latency = Latency.fixed(0);
    private volatile Mode mode = Mode.FORWARD;
    private final Map<String, Recorded> recorded = new ConcurrentHashMap<>();
    private final Map<String, String> accountOfKey = new ConcurrentHashMap<>();
    /** Per "account operation" for CloudWatch Logs: calls answered, and calls refused with throttling. */
    private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> throttled = new ConcurrentHashMap<>();
    private final AtomicLong replayed = new AtomicLong();
    /**
     * Every CloudWatch Logs answer and read-budget write since the last reset, in arrival order: where a concurrent
     * run's time went (see {@link Mark}).
     */
    private final java.util.Queue<Mark> timeline = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile long resetAt = System.nanoTime();
    /** Wall-clock time of the last reset, to put the buckets' arrival times (epoch ms) on the timeline. */
    private volatile long resetAtEpochMillis = System.currentTimeMillis();
    /** Per operation (any service): time spent waiting for the emulator, in nanoseconds, and calls. */
    private final Map<String, AtomicLong> upstreamNanos = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> upstreamCalls = new ConcurrentHashMap<>();

    public LatencyProxy(URI target, Map<String, Double> quotasPerSecond) throws IOException {
        this.target = target;
        this.quotasPerSecond = quotasPerSecond;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        this.server.setExecutor(threads);
        this.server.createContext("/", this::handle);
        this.server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The model for the next calls; quotas start full again, counters at zero. */
    public void reset(Latency next, Map<String, Double> perSecond, Mode nextMode) {
        this.latency = next;
        this.quotasPerSecond = perSecond;
        this.mode = nextMode;
        quotas.clear();
        served.clear();
        throttled.clear();
        replayed.set(0);
        upstreamNanos.clear();
        upstreamCalls.clear();
        timeline.clear();
        resetAt = System.nanoTime();
        resetAtEpochMillis = System.currentTimeMillis();
    }

    private void mark(String account, String kind, double bookedUntil) {
        timeline.add(new Mark((System.nanoTime() - resetAt) / 1e9, account, kind, bookedUntil));
    }

    /** CloudWatch Logs calls of {@code operation} answered (all accounts). */
    public long served(String operation) {
        return sum(served, operation);
    }

    public long throttled(String operation) {
        return sum(throttled, operation);
    }

    public long served(String account, String operation) {
        return served.getOrDefault(account + " " + operation, new AtomicLong()).get();
    }

    public long throttled(String account, String operation) {
        return throttled.getOrDefault(account + " " + operation, new AtomicLong()).get();
    }

    /** Every CloudWatch Logs answer and read-budget write since the last reset, in arrival order. */
    public List<Mark> timeline() {
        return List.copyOf(timeline);
    }

    /** Wall-clock time (epoch ms) of the last reset. */
    public long resetAtEpochMillis() {
        return resetAtEpochMillis;
    }

    /** Read answers served from the recordings since the last reset. */
    public long replayed() {
        return replayed.get();
    }

    /** Calls of {@code operation} (named as in {@link #upstreamMillis}) that reached the emulator since the reset. */
    public long upstreamCalls(String operation) {
        return upstreamCalls.getOrDefault(operation, new AtomicLong()).get();
    }

    /** Time the emulator took per operation, in ms, since the last reset. */
    public Map<String, Double> upstreamMillis() {
        Map<String, Double> millis = new java.util.TreeMap<>();
        upstreamNanos.forEach((op, nanos) -> millis.put(op, nanos.get() / 1e6));
        return millis;
    }

    private static long sum(Map<String, AtomicLong> counters, String operation) {
        return counters.entrySet().stream().filter(e -> e.getKey().endsWith(" " + operation))
                .mapToLong(e -> e.getValue().get()).sum();
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
            if (operation == null) {
                forward(exchange, body, operationOf(exchange, amzTarget, body));
                return;
            }
            String account = accountOf(exchange);
            String counter = account + " " + operation;
            Double perSecond = quotasPerSecond.get(operation);
            if (perSecond != null && !quotas.computeIfAbsent(counter, c -> new Quota(perSecond)).tryTake()) {
                throttled.computeIfAbsent(counter, o -> new AtomicLong()).incrementAndGet();
                mark(account, "throttled", 0);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "ThrottlingException");
                exchange.sendResponseHeaders(400, THROTTLED.length);
                exchange.getResponseBody().write(THROTTLED);
                return;
            }
            served.computeIfAbsent(counter, o -> new AtomicLong()).incrementAndGet();
            mark(account, operation, 0);
            String replayKey = account + " " + new String(body, StandardCharsets.UTF_8);
            Recorded kept = REPLAYED.contains(operation) && mode == Mode.REPLAY ? recorded.get(replayKey) : null;
            if (kept != null) {
                replayed.incrementAndGet();
                respond(exchange, kept.status(), kept.headers(), kept.bytes());
                return;
            }
            Answer answer = forward(exchange, body, "logs:" + operation);
            if (REPLAYED.contains(operation) && mode == Mode.RECORD && answer.status() == 200) {
                recorded.put(replayKey, Recorded.of(answer));
            }
        }
    }

    /** The account whose assumed role signed this call (see the class comment), or "platform". */
    private String accountOf(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        java.util.regex.Matcher m = authorization == null ? null : SIGNED_BY.matcher(authorization);
        return m != null && m.find() ? accountOfKey.getOrDefault(m.group(1), "platform") : "platform";
    }

    /** A short name for the profile: the JSON target, the STS/SQS action, or S3's method and kind of request. */
    private static String operationOf(HttpExchange exchange, String amzTarget, byte[] body) {
        if (amzTarget != null) {
            String name = amzTarget.replaceFirst("_\\d+\\.", ":");
            return name.endsWith("UpdateItem") && new String(body, StandardCharsets.UTF_8).contains("read-budget#")
                    ? name + " (read budget)" : name;
        }
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        java.util.regex.Matcher action = java.util.regex.Pattern.compile("Action=(\\w+)").matcher(text);
        if (action.find()) {
            return "sts/sqs:" + action.group(1);
        }
        String query = exchange.getRequestURI().getRawQuery();
        String kind = query == null ? "object" : query.contains("partNumber") ? "part"
                : query.contains("uploads") ? "uploads" : query.contains("uploadId") ? "upload" : "other";
        return "s3:" + exchange.getRequestMethod() + " " + kind;
    }
    private Answer forward(HttpExchange exchange, byte[] body, String operation) throws IOException {
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
        long start = System.nanoTime();
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        upstreamNanos.computeIfAbsent(operation, o -> new AtomicLong()).addAndGet(System.nanoTime() - start);
        upstreamCalls.computeIfAbsent(operation, o -> new AtomicLong()).incrementAndGet();
        Map<String, List<String>> headers = new java.util.HashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                headers.put(name, List.copyOf(values));
            }
        });
        byte[] bytes = response.body();
        if (operation.equals("sts/sqs:AssumeRole") && response.statusCode() == 200) {
            noteRoleKey(body, bytes);
        }
        if (operation.endsWith("(read budget)") && response.statusCode() == 200) {
            noteBudgetWrite(body, bytes);
        }
        respond(exchange, response.statusCode(), headers, bytes);
        return new Answer(response.statusCode(), headers, bytes);
    }

    private void noteBudgetWrite(byte[] request, byte[] response) {
        java.util.regex.Matcher key = BUDGET_KEY.matcher(new String(request, StandardCharsets.UTF_8));
        java.util.regex.Matcher tat = TAT.matcher(new String(response, StandardCharsets.UTF_8));
        if (key.find() && tat.find()) {
            mark(key.group(1), "budget", Double.parseDouble(tat.group(1)));
        }
    }

    private void noteRoleKey(byte[] request, byte[] response) {
        java.util.regex.Matcher account = ROLE_ACCOUNT.matcher(new String(request, StandardCharsets.UTF_8));
        java.util.regex.Matcher key = ACCESS_KEY.matcher(new String(response, StandardCharsets.UTF_8));
        if (account.find() && key.find()) {
            accountOfKey.put(key.group(1), account.group(1));
        }
    }

    private static void respond(HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] bytes)
            throws IOException {
        headers.forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
        boolean noBody = exchange.getRequestMethod().equals("HEAD") || status == 204 || status == 304;
        exchange.sendResponseHeaders(status, noBody ? -1 : bytes.length == 0 ? -1 : bytes.length);
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
