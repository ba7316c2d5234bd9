package com.mlplatform.logexport.shared.retry;

import java.time.Duration;

/** Waits between retries; tests pass one that records the delays instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    Sleeper THREAD = d -> Thread.sleep(d.toMillis());
}
