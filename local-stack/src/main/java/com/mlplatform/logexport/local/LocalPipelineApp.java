package com.mlplatform.logexport.local;

import com.mlplatform.logexport.emulator.EmulatorUnavailableException;
import com.mlplatform.logexport.local.seed.Scenario;
import com.mlplatform.logexport.local.seed.SeedFile;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./dev up}: starts the {@link LocalPipeline}, prints where everything is, runs one export to show the pipeline
 * works, and keeps running until Ctrl-C.
 */
public final class LocalPipelineApp {

    static final String USAGE = """
            usage: ./dev up [--seed FILE] [--port N] [--worker-timeout SECONDS] [--visibility-timeout SECONDS]
                            [--no-smoke]
              --seed FILE               load this scenario instead of the demo (format: docs/local-stack.md)
              --port N                  serve the API and the page on localhost:N (default 8080)
              --worker-timeout S        the worker's Lambda timeout locally (default 60)
              --visibility-timeout S    the export queue's visibility timeout locally (default 90): how long a
                                        failed message waits before it is delivered again
              --no-smoke                skip the export that start-up runs to prove the pipeline works
            """;

    private LocalPipelineApp() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream console = System.out;
        Arguments arguments;
        try {
            arguments = Arguments.parse(args, Path.of(System.getProperty("local.cwd", "")).toAbsolutePath());
        } catch (IllegalArgumentException e) {
            System.err.println("dev up: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        LocalPipeline stack;
        try {
            stack = LocalPipeline.start(arguments.options(), console);
        } catch (SeedFile.SeedException | EmulatorUnavailableException | IllegalArgumentException
                 | java.io.UncheckedIOException e) {
            System.err.println("dev up: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.println("\nStopping: gateway, worker pollers, then the emulator. Nothing is kept: the next"
                    + " ./dev up starts clean.");
            stack.close();
            stopped.countDown();
        }, "local-stack-stop"));
        banner(stack, arguments, console);
        if (arguments.smoke()) {
            try {
                new SmokeExport(stack, console).run(Duration.ofMinutes(2));
            } catch (Exception e) {
                console.println("[smoke] could not run the start-up export: " + e);
            }
        }
        console.println("\nReady. Open " + stack.baseUri() + " (Ctrl-C to stop)");
        stopped.await();
    }

    private static void banner(LocalPipeline stack, Arguments arguments, PrintStream out) {
        Scenario s = stack.scenario();
        long jobs = s.usecases().stream().mapToLong(u -> u.trainingJobs().size()).sum();
        out.println();
        out.println("Local stack is up: the request-API and export-worker handlers on "
                + stack.platform().emulator().describe());
        out.println("  seed:        " + arguments.options().seed().map(Path::toString).orElse("demo scenario") + " ("
                + count(s.usecases().size(), "use case") + ", " + count(jobs, "training job") + ", "
                + count(s.totalEvents(), "log event") + ")");
        out.println("  web page:    " + stack.baseUri());
        out.println("  API:         " + stack.baseUri() + " (identity: header 'X-Dev-User: <user>' or"
                + " 'Authorization: Bearer dev:<user>')");
        out.println("  resources:   " + stack.platform().resources());
        SmokeExport.pick(s).ifPresent(p -> {
            String base = stack.baseUri().toString().replaceAll("/$", "");
            out.println("  try:");
            out.println("    curl -s -X POST -H 'X-Dev-User: " + p.user() + "' " + base + "/usecases/" + p.usecaseId()
                    + "/trainings/" + p.trainingId() + "/log-exports");
            out.println("    curl -s -H 'X-Dev-User: " + p.user() + "' " + base + "/log-exports/<exportId>");
        });
        out.println("  Ctrl-C stops everything; nothing is kept, the next ./dev up starts clean.");
        out.println();
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The command line, parsed. */
    record Arguments(LocalPipeline.Options options, boolean smoke) {

        static Arguments parse(String[] args, Path cwd) {
            LocalPipeline.Options o = LocalPipeline.Options.defaults();
            Optional<Path> seed = Optional.empty();
            int port = o.port();
            long workerTimeout = o.workerTimeout().toSeconds();
            long visibility = o.visibilityTimeout().toSeconds();
            boolean smoke = true;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--seed" -> {
                        Path p = cwd.resolve(value(args, ++i, a));
                        if (!Files.isRegularFile(p)) {
                            throw new IllegalArgumentException("seed file " + p + " does not exist");
                        }
                        seed = Optional.of(p);
                    }
                    case "--port" -> port = number(value(args, ++i, a), a, 1, 65_535);
                    case "--worker-timeout" -> workerTimeout = number(value(args, ++i, a), a, 1, 900);
                    case "--visibility-timeout" -> visibility = number(value(args, ++i, a), a, 1, 43_200);
                    case "--no-smoke" -> smoke = false;
                    case "-h", "--help" -> throw new IllegalArgumentException("help");
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            return new Arguments(new LocalPipeline.Options(seed, port, Duration.ofSeconds(workerTimeout),
                    Duration.ofSeconds(visibility), o.workerConcurrency(), Map.of()), smoke);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int number(String v, String option, int min, int max) {
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw new IllegalArgumentException(option + " must be between " + min + " and " + max);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a number, got '" + v + "'");
            }
        }
    }
}
