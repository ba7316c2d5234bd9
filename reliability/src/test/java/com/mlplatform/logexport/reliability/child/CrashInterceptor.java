package com.mlplatform.logexport.reliability.child;

import com.mlplatform.logexport.shared.config.PlatformResources;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Stops a child JVM at a chosen AWS call without touching the code under test: a global SDK interceptor, registered
 * by the resource {@code software/amazon/awssdk/global/handlers/execution.interceptors} on a class-path entry that
 * only child JVMs get ({@link com.mlplatform.logexport.reliability.trial.ChildJvm}), so every client the handler
 * builds passes through it. When the call matches {@code CRASH_AT} it prints a crash line and blocks for ever; the
 * parent then kills the JVM with SIGKILL. A SIGKILL at that moment is exactly a Lambda sandbox dying there: no
 * finally block, no shutdown hook, no response.
 *
 * <p>"before" is before the request is marshalled (nothing sent); "after" is once the response was read (the call's
 * effect is durable, the handler has not seen it yet).
 */
public final class CrashInterceptor implements ExecutionInterceptor {

    /** What Lambda's event source mapping calls, not the function: never a crash point. */
    private static final Set<String> EVENT_SOURCE_CALLS = Set.of("ReceiveMessage", "DeleteMessageBatch",
            "DeleteMessage", "ChangeMessageVisibility", "ChangeMessageVisibilityBatch", "GetQueueAttributes");

    private static final List<CrashPoint> ARMED = CrashPoint.parseList(System.getenv(CrashPoint.ENV));
    private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

    public CrashInterceptor() {
        // the SDK instantiates global interceptors reflectively
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        reached(context.request(), attributes, CrashPoint.Phase.BEFORE);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        reached(context.request(), attributes, CrashPoint.Phase.AFTER);
    }

    private static void reached(SdkRequest request, ExecutionAttributes attributes, CrashPoint.Phase phase) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (EVENT_SOURCE_CALLS.contains(operation)) {
            return;
        }
        String label = operation + request.getValueForField("TableName", String.class).map(CrashInterceptor::table)
                .orElse("");
        int n = SEEN.computeIfAbsent(label + ":" + phase, k -> new AtomicInteger()).incrementAndGet();
        CrashPoint here = new CrashPoint(label, phase, n);
        ChildLine.print(ChildLine.POINT, here.toString());
        if (ARMED.contains(here)) {
            ChildLine.print(ChildLine.CRASH, here.toString());
            blockUntilKilled();
        }
    }

    private static String table(String name) {
        if (name.equals(System.getenv(PlatformResources.ENV_EXPORTS_TABLE))) {
            return "/exports";
        }
        if (name.equals(System.getenv(PlatformResources.ENV_USECASES_TABLE))) {
            return "/usecases";
        }
        return "/" + name;
    }

    @SuppressWarnings({"InfiniteLoopStatement", "BusyWait"})
    private static void blockUntilKilled() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // keep blocking: only the parent's SIGKILL ends this JVM
            }
        }
    }
}
