package com.mlplatform.logexport.reliability.trial;

import com.mlplatform.logexport.shared.job.ExportJob;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Waiting for exports to end. */
public final class Finish {

    private Finish() {
    }

    /** Waits until every export in {@code ids} is finished or {@code limit} has passed; returns the unfinished. */
    public static List<String> await(Lane lane, Collection<String> ids, Duration limit) {
        long until = System.nanoTime() + limit.toNanos();
        while (true) {
            List<String> open = ids.stream().filter(id -> {
                Optional<ExportJob> job = lane.job(id);
                return job.isEmpty() || !job.get().status().isFinished();
            }).toList();
            if (open.isEmpty() || System.nanoTime() > until) {
                return open;
            }
            ReferenceExports.sleep(Duration.ofMillis(500));
        }
    }
}
