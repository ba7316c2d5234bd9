package com.mlplatform.logexport.infra.jars;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.mlplatform.logexport.emulator.lambda.CountdownContext;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for the Lambda Java runtime, run by {@link LambdaJarsRunIT} in a fresh JVM whose class path is one
 * deployment jar, this class and the runtime's own event serializer (aws-lambda-java-serialization, which the
 * managed runtime uses to turn the JSON event into the handler's type): nothing of the build's class path.
 *
 * <p>Like the runtime it builds the handler with its no-arg constructor; with {@code prime} it then calls the
 * handler's CRaC {@code beforeCheckpoint}, as SnapStart does before the snapshot. Then it reads one invocation per
 * stdin line ({@code <event class> <event JSON>}) and answers each on stdout. Its own lines start with
 * {@value #MARK} (the handlers log to stdout too):
 * <pre>
 * @driver {"ready":true,"startToConstructedMs":..,"primeMs":..,"startToReadyMs":..}
 * @driver {"ok":true,"ms":..,"response":{...}}       or  {"ok":false,"ms":..,"error":"..."}
 * </pre>
 * Times are from the JVM's start ({@code RuntimeMXBean.getStartTime}); {@code ms} is one invocation.
 *
 * <p>Only JDK types, aws-lambda-java-core (in the jar), the runtime's serializer and {@link CountdownContext} (copied
 * beside this class) may be used here.
 */
public final class HandlerDriver {

    static final String MARK = "@driver ";
    /** The time each invocation gets, as {@code Context.getRemainingTimeInMillis} reports it. */
    private static final long INVOCATION_BUDGET_MILLIS = 300_000;

    private HandlerDriver() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        long start = ManagementFactory.getRuntimeMXBean().getStartTime();
        ClassLoader loader = HandlerDriver.class.getClassLoader();
        Object handler = Class.forName(args[0], true, loader).getConstructor().newInstance();
        long constructed = System.currentTimeMillis();
        if (args.length > 1 && args[1].equals("prime")) {
            ((org.crac.Resource) handler).beforeCheckpoint(null);
        }
        long ready = System.currentTimeMillis();
        out.println(MARK + "{\"ready\":true,\"startToConstructedMs\":" + (constructed - start) + ",\"primeMs\":"
                + (ready - constructed) + ",\"startToReadyMs\":" + (ready - start) + "}");
        out.flush();

        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            int space = line.indexOf(' ');
            long t0 = System.nanoTime();
            try {
                Class<?> eventType = Class.forName(line.substring(0, space), true, loader);
                Object event = LambdaEventSerializers.serializerFor(eventType, loader).fromJson(line.substring(space + 1));
                @SuppressWarnings("unchecked")
                Object response = ((RequestHandler<Object, Object>) handler).handleRequest(event, CountdownContext.ofMillis("driver", INVOCATION_BUDGET_MILLIS));
                String json = toJson(response, loader);
                out.println(MARK + "{\"ok\":true,\"ms\":" + millisSince(t0) + ",\"response\":" + json + "}");
            } catch (Throwable e) {
                e.printStackTrace();
                out.println(MARK + "{\"ok\":false,\"ms\":" + millisSince(t0) + ",\"error\":\""
                        + escape(e.getClass().getName() + ": " + e.getMessage()) + "\"}");
            }
            out.flush();
        }
    }

    /** The response as the runtime writes it: its event serializer for event types, its Jackson otherwise. */
    @SuppressWarnings("unchecked")
    private static String toJson(Object response, ClassLoader loader) {
        var type = (Class<Object>) response.getClass();
        PojoSerializer<Object> serializer = LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
                ? LambdaEventSerializers.serializerFor(type, loader)
                : JacksonFactory.getInstance().getSerializer(type);
        var bytes = new ByteArrayOutputStream();
        serializer.toJson(response, bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static String escape(String s) {
        var b = new StringBuilder();
        for (char c : String.valueOf(s).toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(' ');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
