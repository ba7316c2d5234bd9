package com.mlplatform.logexport.shared.priming;

import com.mlplatform.logexport.shared.events.Completions;
import com.mlplatform.logexport.shared.events.RecordingCompletionEvents;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.metrics.ExportMetrics;
import com.mlplatform.logexport.shared.metrics.MetricsLog;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: a handler registers itself as a CRaC {@link Resource}, and in {@code beforeCheckpoint} runs its
 * own code paths once on {@code AwsClients.offline} clients, so the classes they load, the SDK's lazily built
 * pipeline and Jackson's serializers are in the snapshot instead of in the first restored invocation. What priming
 * produces goes nowhere: no log line, no metric, no completion event, no AWS call.
 *
 * <p>Outside SnapStart (tests, the local stack, a JVM without CRaC) {@link #register} keeps nothing and the hook
 * never runs.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks.html">Lambda SnapStart runtime hooks (org.crac)</a>
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/snapstart-best-practices.html">SnapStart best practices: preload with dummy invocations</a>
 */
public final class Priming {

    private Priming() {
    }

    /** Lets the runtime call {@code handler.beforeCheckpoint} before it takes the snapshot. */
    public static void register(Resource handler) {
        Core.getGlobalContext().register(handler);
    }

    /** A log that writes nowhere: a primed request must not look like a real one in the function's log. */
    public static StructuredLog log(String component) {
        return new StructuredLog(component, discard());
    }

    /** Metrics that go nowhere: primed work must not count in the pipeline's metrics. */
    public static MetricsLog metrics() {
        return new MetricsLog(discard(), Clock.systemUTC());
    }

    /** Metrics, completion events and log of finished exports, all discarded. */
    public static Completions completions(String component) {
        return new Completions(new RecordingCompletionEvents(), new ExportMetrics(metrics()), log(component));
    }

    private static PrintStream discard() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
