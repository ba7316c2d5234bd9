package com.mlplatform.logexport.infra.jars;

import com.fasterxml.jackson.databind.JsonNode;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import com.mlplatform.logexport.shared.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One handler of one deployment jar, running in its own fresh JVM under {@link HandlerDriver}: the class path is
 * the jar, the driver and the Lambda runtime's event serializer, the environment only what {@code env} says.
 */
final class DrivenJar implements AutoCloseable {

    private static final long ANSWER_TIMEOUT_SECONDS = 180;

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final List<String> otherOutput = new ArrayList<>();
    private final JsonNode ready;
    private final List<String> outputBeforeReady;

    private DrivenJar(String name, Process process) throws InterruptedException {
        this.name = name;
        this.process = process;
        this.stdin = process.outputWriter(StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readStdout, "driver-" + name);
        reader.setDaemon(true);
        reader.start();
        this.ready = next();
        synchronized (otherOutput) {
            this.outputBeforeReady = List.copyOf(otherOutput);
        }
    }

    /** Starts {@code handlerClass} from {@code jar}; with {@code prime}, its SnapStart hook runs before "ready". */
    static DrivenJar start(Path jar, String handlerClass, boolean prime, Map<String, String> env, Path workDir)
            throws IOException, InterruptedException {
        String classPath = String.join(java.io.File.pathSeparator, jar.toString(), driverClasses(workDir).toString(),
                codeSource(LambdaEventSerializers.class).toString());
        var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, HandlerDriver.class.getName(), handlerClass, prime ? "prime" : "noprime");
        builder.environment().clear();
        builder.environment().putAll(env);
        Path stderr = workDir.resolve(simpleName(handlerClass) + (prime ? "-primed" : "") + ".stderr.log");
        builder.redirectError(stderr.toFile());
        return new DrivenJar(simpleName(handlerClass) + " (stderr: " + stderr + ")", builder.start());
    }

    /** The driver's "ready" line: its init times. */
    JsonNode ready() {
        return ready;
    }

    /** What the handler wrote on stdout before it was ready: construction and priming. */
    List<String> outputBeforeReady() {
        return outputBeforeReady;
    }

    /** One invocation: the event (its class, its JSON as Lambda delivers it); the driver's answer. */
    JsonNode invoke(Class<?> eventType, String eventJson) throws IOException, InterruptedException {
        stdin.write(eventType.getName() + " " + eventJson.replace('\n', ' ') + "\n");
        stdin.flush();
        JsonNode answer = next();
        if (!answer.path("ok").asBoolean()) {
            throw new AssertionError(name + " failed: " + answer.path("error").asText() + "\nits stdout:\n"
                    + String.join("\n", otherOutput));
        }
        return answer;
    }

    private JsonNode next() throws InterruptedException {
        String line = null;
        for (long waited = 0; line == null && waited < ANSWER_TIMEOUT_SECONDS && process.isAlive(); waited++) {
            line = answers.poll(1, TimeUnit.SECONDS);
        }
        if (line == null) {
            line = answers.poll();
        }
        if (line == null) {
            throw new AssertionError(name + " gave no answer (alive: " + process.isAlive() + "); its stdout:\n"
                    + String.join("\n", otherOutput));
        }
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readStdout() {
        try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(HandlerDriver.MARK)) {
                    answers.add(line.substring(HandlerDriver.MARK.length()));
                } else {
                    synchronized (otherOutput) {
                        otherOutput.add(line);
                    }
                }
            }
        } catch (IOException e) {
            // The process ended; next() reports it.
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stdin.close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * The driver's classes and the Context it passes, alone in a directory: the fresh JVM must not see the rest of
     * the test or emulator classes.
     */
    private static Path driverClasses(Path workDir) throws IOException {
        Path target = workDir.resolve("driver-classes");
        copyClasses(HandlerDriver.class, target);
        copyClasses(CountdownContext.class, target);
        return target;
    }

    /** {@code type} and its nested classes, from its directory or jar, into the same package under {@code target}. */
    private static void copyClasses(Class<?> type, Path target) throws IOException {
        String pkg = type.getPackageName().replace('.', '/');
        Path source = codeSource(type);
        Path into = Files.createDirectories(target.resolve(pkg));
        try (FileSystem jar = Files.isDirectory(source) ? null : FileSystems.newFileSystem(source);
             var files = Files.list((jar == null ? source : jar.getPath("/")).resolve(pkg))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(type.getSimpleName())).toList()) {
                Files.copy(f, into.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
