package com.mlplatform.logexport.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records every AWS call any SDK client in this JVM sends, with the IAM actions it needs and the access key that
 * signed it. Test-only and global: registered through the classpath resource
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} of the infra module's tests, so the real
 * handlers are observed without any change to them.
 *
 * <p>Calls are attributed to whoever {@link #during} names; calls outside such a window (test set-up) are ignored.
 */
public final class RecordingInterceptor implements ExecutionInterceptor {

    /** One call as sent. */
    record Call(String principal, String service, String operation, Set<String> iamActions, String accessKeyId) {
    }

    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/");
    private static final List<Call> CALLS = new ArrayList<>();
    private static volatile String principal;

    public RecordingInterceptor() {
        // the SDK instantiates global interceptors reflectively
    }

    /** Runs {@code action}, attributing every AWS call made meanwhile (on any thread) to {@code who}. */
    static <T> T during(String who, Supplier<T> action) {
        principal = who;
        try {
            return action.get();
        } finally {
            principal = null;
        }
    }

    static synchronized List<Call> calls(String who) {
        return CALLS.stream().filter(c -> c.principal().equals(who)).toList();
    }

    static synchronized void clear() {
        CALLS.clear();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String who = principal;
        if (who == null) {
            return;
        }
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String key = context.httpRequest().firstMatchingHeader("Authorization")
                .map(CREDENTIAL::matcher).filter(m -> m.find()).map(m -> m.group(1)).orElse("");
        var call = new Call(who, service, operation, IamActionMapping.actions(service, operation, context.request()),
                key);
        synchronized (RecordingInterceptor.class) {
            CALLS.add(call);
        }
    }
}
