package com.mlplatform.logexport.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.mlplatform.logexport.emulator.Accounts;
import com.mlplatform.logexport.emulator.Emulator;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder;
import com.mlplatform.logexport.emulator.bench.BenchJob;
import com.mlplatform.logexport.emulator.bench.LatencyProxy;
import com.mlplatform.logexport.emulator.bench.LatencyProxy.Latency;
import com.mlplatform.logexport.emulator.bench.LatencyProxy.Mode;
import com.mlplatform.logexport.local.LocalPipeline;
import com.mlplatform.logexport.shared.json.Json;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Issue 11's last goal, measured side by side in one run: time to a complete file for this project end to end
 * (POST through the local gateway and the request-API handler, the SQS event source and the export worker, status
 * polls until SUCCEEDED, then the presigned download) and for the peers a user could run instead (a boto3 script:
 * DescribeLogStreams, GetLogEvents per stream, heap merge; and {@code aws logs filter-log-events}, CLI v1), on the
 * same seeded jobs, all behind one {@link LatencyProxy}: 50 ms a call and the account's CloudWatch Logs quotas.
 * The client's own calls to the API (a user's round trip to API Gateway) wait 50 ms too, on a second proxy.
 *
 * <p>Each tool first runs once unmeasured without latency or quota, which records its read pages for replay (so a
 * measured page costs the modelled round trip and quota, not moto's Python) and warms it up; then {@code repeats}
 * rounds of every tool in turn, so the machine's load falls on all alike. The run fails if a file misses events or
 * if the project's and the boto3 script's files differ in their messages or their order. Not a test: see
 * docs/worker.md, "The whole pipeline against its peers".
 *
 * <p>Arguments: {@code [repeats=3] [scale=1.0]}; scale multiplies the events (8 × 25,000 and 64 × 3,000 at 1.0).
 */
public final class PeersBench {

    /**
     * The account's quotas for the read calls of the project and its peers.
     *
     * @see <a href="https://docs.aws.amazon.com/general/latest/gr/cwl_region.html">CloudWatch Logs quotas</a>
     * @see <a href="https://repost.aws/knowledge-center/cloudwatch-logs-throttling">FilterLogEvents: 5 TPS per account and Region</a>
     */
    static final Map<String, Double> QUOTAS = Map.of("GetLogEvents", 25.0, "DescribeLogStreams", 5.0,
            "FilterLogEvents", 5.0);
    static final Duration ROUND_TRIP = Duration.ofMillis(50);
    static final String USECASE = "peers-bench";
    static final String USER = "bench";
    static final String EXTERNAL_ID = "ext-peers-bench";
    static final String ACCOUNT = Accounts.USECASE_A;
    static final String LOG_GROUP = "/aws/sagemaker/TrainingJobs";
    static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/" + UseCaseAccountSeeder.ROLE_NAME;

    /** One tool's file: its events' messages in file order, as a count and a digest. */
    record Content(long events, String digest) {
    }

    /** One timed export: {@code phases} is where the time went, if the tool can tell (the project; empty for peers). */
    record Run(double seconds, String phases, Content content, long readCalls, long throttled, long replayed) {
    }

    /** A way to get a job's logs into a local file. */
    interface Tool {
        String name();

        /** Writes the job's events to {@code file}; returns where the time went, or "". */
        String export(BenchJob job, Path file) throws Exception;

        /**
         * The message of one line of the file, or null for a line that is not an event; the peers write
         * {@code <epoch ms>\t<stream>\t<message>}.
         */
        default String message(String line) {
            return line.substring(line.indexOf('\t', line.indexOf('\t') + 1) + 1);
        }
    }

    private PeersBench() {
    }

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        List<BenchJob> jobs = List.of(new BenchJob(8, (int) (25_000 * scale)), new BenchJob(64, (int) (3_000 * scale)));
        Path root = Emulator.projectRoot();
        Path work = Files.createDirectories(root.resolve("local-stack/target/peers-bench"));
        PrintStream out = System.out;
        // The handlers log a JSON line per step to stdout; the report is what goes to the terminal.
        PrintStream log = new PrintStream(new FileOutputStream(work.resolve("stack.log").toFile()), true,
                StandardCharsets.UTF_8);
        System.setOut(log);
        LatencyProxy[] aws = new LatencyProxy[1];
        LocalPipeline.Options options = LocalPipeline.Options.defaults().withPort(0)
                .withSeed(root.resolve("local-stack/src/test/resources/bench/peers-seed.json"))
                // The cloud's worker timeout and visibility timeout: no export here continues in a second invocation.
                .withTimeouts(Duration.ofSeconds(900), Duration.ofSeconds(5_400));
        LocalPipeline stack = LocalPipeline.start(options, log, emulator -> {
            try {
                aws[0] = new LatencyProxy(emulator, Map.of());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return aws[0].endpoint();
        });
        LatencyProxy awsProxy = aws[0];
        try (LatencyProxy apiProxy = new LatencyProxy(stack.baseUri(), Map.of())) {
            long seedStart = System.nanoTime();
            try (UseCaseAccountSeeder seeder = stack.platform().seeder(ACCOUNT)) {
                for (BenchJob job : jobs) {
                    job.seed(seeder, LOG_GROUP, System.currentTimeMillis() - 6 * 3_600_000L);
                }
            }
            out.printf("seeded %s in %.0f s; uptime:%s%n", jobs, (System.nanoTime() - seedStart) / 1e9, uptime());
            List<Tool> tools = new ArrayList<>(List.of(new Project(apiProxy.endpoint()),
                    new Boto3Script(root, awsProxy.endpoint())));
            Path cli = root.resolve(".venv/awscli/bin/aws");
            if (Files.isExecutable(cli)) {
                tools.add(new CliFilterLogEvents(cli, awsProxy.endpoint(), stack));
            } else {
                out.println("no AWS CLI at " + cli + " (./dev installs it): `aws logs filter-log-events` skipped");
            }
            out.printf("%n| streams × events | tool | median of %d | runs | events | same messages, same order as "
                    + "the project | read calls (GetLogEvents / FilterLogEvents) | throttled answers (retried) | "
                    + "pages replayed |%n|---|---|---|---|---|---|---|---|---|%n", repeats);
            List<String> phases = new ArrayList<>();
            for (BenchJob job : jobs) {
                Map<Tool, List<Run>> runs = new LinkedHashMap<>();
                for (Tool tool : tools) {
                    awsProxy.reset(Latency.fixed(0), Map.of(), Mode.RECORD);
                    apiProxy.reset(Latency.fixed(0), Map.of(), Mode.FORWARD);
                    tool.export(job, work.resolve("record-" + tool.getClass().getSimpleName()));
                    runs.put(tool, new ArrayList<>());
                }
                for (int r = 0; r < repeats; r++) {
                    for (Tool tool : tools) {
                        runs.get(tool).add(measure(tool, job, awsProxy, apiProxy, work));
                    }
                }
                phases.add(report(out, job, runs));
            }
            phases.forEach(out::println);
            out.printf("%nuptime after:%s%n", uptime());
        } finally {
            stack.close();
            awsProxy.close();
        }
        System.exit(0);
    }

    private static Run measure(Tool tool, BenchJob job, LatencyProxy awsProxy, LatencyProxy apiProxy, Path work)
            throws Exception {
        awsProxy.reset(Latency.fixed(ROUND_TRIP.toMillis()), QUOTAS, Mode.REPLAY);
        apiProxy.reset(Latency.fixed(ROUND_TRIP.toMillis()), Map.of(), Mode.FORWARD);
        long start = System.nanoTime();
        Path file = work.resolve(tool.getClass().getSimpleName() + "-" + job.training());
        String phases = tool.export(job, file);
        double seconds = (System.nanoTime() - start) / 1e9;
        long reads = awsProxy.served("GetLogEvents") + awsProxy.served("FilterLogEvents");
        long throttled = QUOTAS.keySet().stream().mapToLong(awsProxy::throttled).sum();
        return new Run(seconds, phases, read(file, tool::message), reads, throttled, awsProxy.replayed());
    }

    /** Prints the job's rows; returns where the project's median run spent its time. */
    private static String report(PrintStream out, BenchJob job, Map<Tool, List<Run>> runs) {
        Content project = runs.values().iterator().next().get(0).content();
        double fastestPeer = Double.MAX_VALUE;
        double projectMedian = 0;
        String phases = "";
        for (var entry : runs.entrySet()) {
            List<Run> sorted = entry.getValue().stream().sorted(Comparator.comparingDouble(Run::seconds)).toList();
            Run median = sorted.get(sorted.size() / 2);
            for (Run run : sorted) {
                if (run.content().events() != job.events()) {
                    throw new AssertionError(entry.getKey().name() + " wrote " + run.content().events()
                            + " events of " + job.events());
                }
            }
            boolean same = entry.getValue().stream().allMatch(run -> run.content().equals(project));
            if (entry.getKey() instanceof Boto3Script && !same) {
                throw new AssertionError("the boto3 script's file and the project's differ in messages or order");
            }
            if (entry.getKey() instanceof Project) {
                projectMedian = median.seconds();
                phases = median.phases();
            } else {
                fastestPeer = Math.min(fastestPeer, median.seconds());
            }
            out.printf("| %s | %s | %.2f s | %s | %,d | %s | %d | %d | %d |%n", job, entry.getKey().name(),
                    median.seconds(), String.join(", ", sorted.stream().map(r -> String.format("%.2f", r.seconds()))
                            .toList()), median.content().events(), same ? "yes" : "no", median.readCalls(),
                    median.throttled(), median.replayed());
        }
        out.printf("| %s | **project ÷ fastest peer** | **%.2f×** | goal ≤ 0.5× | | | | | |%n", job,
                projectMedian / fastestPeer);
        return String.format("%nthe project's median run at %s: %s", job, phases);
    }

    /** This project: the request API, the queue, the worker, S3, the status route and the presigned download. */
    record Project(URI api) implements Tool {
        private static final HttpClient HTTP = HttpClient.newHttpClient();

        @Override
        public String name() {
            return "this project, API → SQS → worker → S3 → download";
        }

        @Override
        public String export(BenchJob job, Path file) throws Exception {
            long start = System.nanoTime();
            HttpResponse<String> created = HTTP.send(request("usecases/" + USECASE + "/trainings/" + job.training()
                    + "/log-exports").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 202) {
                throw new IllegalStateException("POST answered " + created.statusCode() + ": " + created.body());
            }
            String exportId = Json.MAPPER.readTree(created.body()).path("exportId").asText();
            double accepted = (System.nanoTime() - start) / 1e9;
            JsonNode status;
            // A script polling as fast as the API answers (one poll is two round trips: the client's, DynamoDB's).
            while (true) {
                status = Json.MAPPER.readTree(HTTP.send(request("log-exports/" + exportId).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                String state = status.path("status").asText();
                if (state.equals("SUCCEEDED")) {
                    break;
                }
                if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                    throw new IllegalStateException("export " + exportId + " ended " + status);
                }
                Thread.sleep(100);
            }
            double seen = (System.nanoTime() - start) / 1e9;
            HTTP.send(HttpRequest.newBuilder(URI.create(status.path("download").path("url").asText())).build(),
                    HttpResponse.BodyHandlers.ofFile(file));
            double downloaded = (System.nanoTime() - start) / 1e9;
            double recorded = Duration.between(Instant.parse(status.path("createdAt").asText()),
                    Instant.parse(status.path("updatedAt").asText())).toMillis() / 1e3;
            return String.format("202 after %.2f s; the export record went from created to SUCCEEDED in %.2f s; "
                            + "SUCCEEDED seen after %.2f s; file downloaded after %.2f s", accepted, recorded, seen,
                    downloaded);
        }

        /** {@code <UTC timestamp> [<host>] <message>}; the header's lines start with '#'. */
        @Override
        public String message(String line) {
            return line.startsWith("#") ? null : line.substring(line.indexOf("] ") + 2);
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(api.resolve("/" + path)).header("X-Dev-User", USER);
        }
    }

    /** The boto3 script ({@code local-stack/src/test/python/boto3_export.py}) with the .venv's Python. */
    record Boto3Script(Path root, URI endpoint) implements Tool {
        @Override
        public String name() {
            return "boto3 script: GetLogEvents per stream + heap merge";
        }

        @Override
        public String export(BenchJob job, Path file) throws Exception {
            run(new ProcessBuilder(root.resolve(".venv/bin/python").toString(),
                    root.resolve("local-stack/src/test/python/boto3_export.py").toString(), endpoint.toString(),
                    ROLE_ARN, EXTERNAL_ID, LOG_GROUP, job.training() + "/", file.toString()), Map.of(
                    "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
            return "";
        }
    }

    /**
     * {@code aws logs filter-log-events}, as a user would run it: the role's credentials (AssumeRole through the same
     * proxy, so its calls count against the same account), the job's streams listed with describe-log-streams
     * (moto ignores {@code --log-stream-name-prefix} on FilterLogEvents, so the names are passed), and
     * {@code --interleaved}, which AWS assumes anyway since 2019 and moto needs to merge the streams.
     */
    record CliFilterLogEvents(Path cli, URI endpoint, LocalPipeline stack) implements Tool {
        @Override
        public String name() {
            return "`aws logs filter-log-events` (CLI v1)";
        }

        @Override
        public String export(BenchJob job, Path file) throws Exception {
            Credentials role = stack.clients().sts().assumeRole(r -> r.roleArn(ROLE_ARN).externalId(EXTERNAL_ID)
                    .roleSessionName("peer-cli")).credentials();
            String aws = "'" + cli + "' --endpoint-url " + endpoint + " logs ";
            String script = "set -eo pipefail; names=$(" + aws + "describe-log-streams --log-group-name " + LOG_GROUP
                    + " --log-stream-name-prefix " + job.training() + "/ --query 'logStreams[].logStreamName'"
                    + " --output text); " + aws + "filter-log-events --log-group-name " + LOG_GROUP
                    + " --interleaved --log-stream-names $names --output text"
                    + " --query 'events[].[timestamp,logStreamName,message]' > '" + file + "'";
            run(new ProcessBuilder("bash", "-c", script), Map.of("AWS_ACCESS_KEY_ID", role.accessKeyId(),
                    "AWS_SECRET_ACCESS_KEY", role.secretAccessKey(), "AWS_SESSION_TOKEN", role.sessionToken()));
            return "";
        }
    }

    private static void run(ProcessBuilder process, Map<String, String> credentials) throws Exception {
        Map<String, String> env = process.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.putAll(credentials);
        env.put("AWS_DEFAULT_REGION", Emulator.REGION.id());
        env.put("AWS_RETRY_MODE", "legacy");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        Process p = process.redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(process.command() + " failed: " + output);
        }
    }

    /** The file's messages (those {@code message} does not map to null), counted and digested in order. */
    private static Content read(Path file, java.util.function.Function<String, String> message) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long events = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String m = line.isEmpty() ? null : message.apply(line);
                if (m != null) {
                    sha.update(m.getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) '\n');
                    events++;
                }
            }
        }
        return new Content(events, HexFormat.of().formatHex(sha.digest(), 0, 8));
    }

    private static String uptime() throws Exception {
        Process p = new ProcessBuilder("uptime").start();
        return " " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }
}
