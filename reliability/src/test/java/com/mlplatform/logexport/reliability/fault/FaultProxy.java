package com.mlplatform.logexport.reliability.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WireMock proxy in front of the emulator (the approach of export-worker's {@code FaultInjectionIT}, made random):
 * a seeded {@code rate} of the calls to DynamoDB, SQS, S3 and STS gets a {@link FaultKind} instead of the emulator's
 * answer; everything else passes through unchanged. Decisions are drawn from one seeded source in the order the
 * calls arrive, so a seed fixes the sequence of faults; which call gets which depends on the interleaving of the
 * children. The request journal is off: S3 parts would otherwise stay in memory.
 */
public final class FaultProxy implements AutoCloseable {

    public static final Set<String> FAULTED_SERVICES = Set.of("dynamodb", "sqs", "s3", "sts");

    private final WireMockServer server;
    private final Faults faults;

    public FaultProxy(URI target, long seed, double rate) {
        this.faults = new Faults(seed, rate);
        this.server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(64)
                .disableRequestJournal().gzipDisabled(true).extensions(faults));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(target.toString())));
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** Calls seen per service (of the faulted services). */
    public Map<String, Long> calls() {
        return snapshot(faults.calls);
    }

    /** Faults injected, by "kind" and by "service kind". */
    public Map<String, Long> injected() {
        return snapshot(faults.injected);
    }

    /** Faults injected in all. */
    public long injectedTotal() {
        long total = 0;
        for (FaultKind kind : FaultKind.values()) {
            AtomicLong n = faults.injected.get(kind.label());
            total += n == null ? 0 : n.get();
        }
        return total;
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> counts) {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    @Override
    public void close() {
        server.stop();
    }

    /** The decision per request, and the drop after commit. */
    private static final class Faults implements ResponseDefinitionTransformerV2, ResponseTransformerV2 {
        private final SplittableRandom random;
        private final double rate;
        private final Set<UUID> dropAfterCommit = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();

        Faults(long seed, double rate) {
            this.random = new SplittableRandom(seed);
            this.rate = rate;
        }

        @Override
        public String getName() {
            return "trial-faults";
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            AwsCall call = AwsCall.of(event.getRequest());
            ResponseDefinition pass = event.getResponseDefinition();
            if (!FAULTED_SERVICES.contains(call.service())) {
                return pass;
            }
            count(calls, call.service());
            FaultKind kind = draw(call);
            if (kind == null) {
                return pass;
            }
            count(injected, kind.label());
            count(injected, call.service() + " " + kind.label());
            return switch (kind) {
                case THROTTLING -> ServiceErrors.throttling(call, random()).build();
                case SERVER_ERROR -> ServiceErrors.serverError(call).build();
                case DROPPED_CONNECTION -> ResponseDefinitionBuilder.responseDefinition()
                        .withFault(Fault.CONNECTION_RESET_BY_PEER).build();
                case COMMITTED_THEN_DROPPED -> {
                    dropAfterCommit.add(event.getId());
                    yield pass;
                }
            };
        }

        @Override
        public Response transform(Response response, ServeEvent event) {
            if (dropAfterCommit.remove(event.getId())) {
                return Response.Builder.like(response).but().fault(Fault.CONNECTION_RESET_BY_PEER).build();
            }
            return response;
        }

        private synchronized FaultKind draw(AwsCall call) {
            if (random.nextDouble() >= rate) {
                return null;
            }
            double d = random.nextDouble();
            if (call.write()) {
                return d < 0.35 ? FaultKind.THROTTLING : d < 0.6 ? FaultKind.SERVER_ERROR
                        : d < 0.8 ? FaultKind.DROPPED_CONNECTION : FaultKind.COMMITTED_THEN_DROPPED;
            }
            return d < 0.4 ? FaultKind.THROTTLING : d < 0.7 ? FaultKind.SERVER_ERROR : FaultKind.DROPPED_CONNECTION;
        }

        private synchronized boolean random() {
            return random.nextBoolean();
        }

        private static void count(Map<String, AtomicLong> counts, String key) {
            counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        }
    }
}
