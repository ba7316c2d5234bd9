package com.mlplatform.logexport.worker.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Samples heap use every 5 ms (peak in use, garbage included), and listens to every collection for the heap left
 * after it (peak live: an upper bound of what the run needs). {@link #watch()} starts, {@link #finish()} stops.
 */
final class HeapWatch extends Thread {
    private volatile boolean running = true;
    volatile long peakUsed;
    private volatile long peakAfterGc;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = (n, handback) -> {
        if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                    .mapToLong(MemoryUsage::getUsed).sum();
            peakAfterGc = Math.max(peakAfterGc, after);
        }
    };

    static HeapWatch watch() {
        HeapWatch w = new HeapWatch();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            NotificationEmitter emitter = (NotificationEmitter) gc;
            emitter.addNotificationListener(w.listener, null, null);
            w.emitters.add(emitter);
        }
        w.setDaemon(true);
        w.start();
        return w;
    }

    @Override
    public void run() {
        var memory = ManagementFactory.getMemoryMXBean();
        while (running) {
            peakUsed = Math.max(peakUsed, memory.getHeapMemoryUsage().getUsed());
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void finish() throws InterruptedException {
        running = false;
        join();
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // already gone
            }
        }
    }

    long peakAfterGc() {
        return peakAfterGc;
    }
}
