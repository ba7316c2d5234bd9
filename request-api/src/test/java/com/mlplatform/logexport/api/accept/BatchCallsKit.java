package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.shared.retry.Backoff;
import com.mlplatform.logexport.shared.retry.RetryLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the batch-call tests share: a small pool for the parallel calls (shut down after each test) and a retry loop
 * that records its pauses instead of sleeping. {@code @RegisterExtension final BatchCallsKit kit = ...}.
 */
final class BatchCallsKit implements AfterEachCallback {

    final ExecutorService pool = Executors.newFixedThreadPool(4);
    final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    final RetryLoop retry;

    BatchCallsKit(Duration base, Duration cap, int maxAttempts) {
        retry = new RetryLoop(new Backoff(base, cap, maxAttempts), sleeps::add);
    }

    int maxAttempts() {
        return retry.backoff().maxAttempts();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        pool.shutdownNow();
    }
}
