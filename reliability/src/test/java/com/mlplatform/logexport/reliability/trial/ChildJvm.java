package com.mlplatform.logexport.reliability.trial;

import com.mlplatform.logexport.reliability.child.ChildLine;
import com.mlplatform.logexport.reliability.child.CrashInterceptor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A handler in a JVM of its own, which the trial can SIGKILL at any instant. Started with the test JVM's own
 * {@code java} and class path, plus one directory only children get: the SDK's global interceptor registration for
 * {@link CrashInterceptor}. The environment is exactly what {@code env} says (plus {@code PATH}/{@code HOME}), so
 * nothing of the test JVM's own AWS settings leaks in. Standard output and error go to {@code <logDir>/<name>.log},
 * each line prefixed with the milliseconds since the start; the {@link ChildLine}s are parsed out for the trial.
 */
public final class ChildJvm implements AutoCloseable {

    /** What {@code exitValue()} reports on Linux for a process ended by signal 9: 128 + 9. */
    public static final int SIGKILL_EXIT_STATUS = 137;

    private static final String INTERCEPTORS = "software/amazon/awssdk/global/handlers/execution.interceptors";
    private static Path interceptorEntry;
    /** Children still running: a test JVM that ends for any reason takes them with it. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "trial-children-stop"));
    }

    private final String name;
    private final Process process;
    private final BlockingQueue<ChildLine> lines = new LinkedBlockingQueue<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final PrintWriter stdin;
    private final Path log;
    private final long started = System.nanoTime();

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
        this.stdin = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        Thread reader = new Thread(this::read, "child-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    public static ChildJvm start(String name, Class<?> main, Map<String, String> env, Path logDir) {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        String classPath = interceptorEntry() + java.io.File.pathSeparator + System.getProperty("java.class.path");
        List<String> command = new ArrayList<>(List.of(javaCommand,
                // Children are many and short-lived: C1 only and the serial collector start fastest.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xmx384m",
                "-cp", classPath, main.getName()));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> childEnv = builder.environment();
        childEnv.clear();
        for (String keep : List.of("PATH", "HOME", "JAVA_HOME", "LANG", "TMPDIR")) {
            String value = System.getenv(keep);
            if (value != null) {
                childEnv.put(keep, value);
            }
        }
        childEnv.putAll(env);
        try {
            Files.createDirectories(logDir);
            return new ChildJvm(name, builder.start(), logDir.resolve(name + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start child " + name, e);
        }
    }

    /** A class-path directory holding only the SDK's global interceptor registration, shared by all children. */
    private static synchronized Path interceptorEntry() {
        if (interceptorEntry == null) {
            try {
                Path dir = Files.createTempDirectory("trials-interceptor");
                Path file = dir.resolve(INTERCEPTORS);
                Files.createDirectories(file.getParent());
                Files.writeString(file, CrashInterceptor.class.getName() + "\n");
                interceptorEntry = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return interceptorEntry;
    }

    private void read() {
        try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write(String.format("%7d ", (System.nanoTime() - started) / 1_000_000));
                out.write(line);
                out.write('\n');
                out.flush();
                Optional<ChildLine> parsed = ChildLine.parse(line);
                if (parsed.isPresent() && !parsed.get().kind().equals(ChildLine.POINT)) {
                    lines.add(parsed.get());
                }
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 30) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the child is gone; its exit status says how
        }
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** The next line of the child's protocol, or empty if none came within {@code wait}. */
    public Optional<ChildLine> next(Duration wait) {
        try {
            return Optional.ofNullable(lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Waits for the child's {@link ChildLine#READY} line. A JVM start is not part of any time a trial measures: on
     * two cores shared with fifteen other lanes it took 42 s once, which the API's 90 s answer time then lacked.
     */
    public ChildJvm ready(Duration timeout) {
        await(ChildLine.READY, timeout).orElseThrow(() -> new IllegalStateException("child " + name
                + " was not ready in " + timeout.toSeconds() + " s:\n" + tail()));
        return this;
    }

    /** The next line of {@code kind}, skipping others; empty if the child exits or the time is up. */
    public Optional<ChildLine> await(String kind, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            Optional<ChildLine> line = next(Duration.ofMillis(200));
            if (line.isPresent() && line.get().kind().equals(kind)) {
                return line;
            }
            if (line.isEmpty() && !process.isAlive() && lines.isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    public void send(String line) {
        stdin.println(line);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Optional<Integer> exitStatus() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** The last lines it printed, for failure messages. */
    public String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /**
     * SIGKILL, as a Lambda sandbox dies: {@link Process#destroyForcibly()} sends signal 9 on Linux; the exit status
     * 137 proves it was that signal and not a polite exit.
     */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child " + name + " survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        int status = process.exitValue();
        if (status != SIGKILL_EXIT_STATUS) {
            throw new IllegalStateException("child " + name + " was not ended by SIGKILL: exit status " + status);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
