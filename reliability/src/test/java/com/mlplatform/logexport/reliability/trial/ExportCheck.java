package com.mlplatform.logexport.reliability.trial;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The end-of-trial checks on one export: it SUCCEEDED, its file is byte-identical to the uninterrupted reference
 * run of the same job record, and nothing of it remains in the bucket but the file.
 */
public final class ExportCheck {

    private ExportCheck() {
    }

    /** Checks {@code exportId}, adds what is wrong to {@code failures} and returns a one-line account. */
    public static String check(Lane lane, String exportId, CompletableFuture<byte[]> reference,
                               List<String> failures) {
        Optional<ExportJob> found = lane.job(exportId);
        if (found.isEmpty()) {
            failures.add(exportId + ": no export record");
            return exportId + " missing";
        }
        ExportJob job = found.get();
        Leftovers leftovers = lane.leftovers(exportId);
        String state = state(job);
        String identical = "not compared";
        if (job.status() != ExportStatus.SUCCEEDED) {
            failures.add(exportId + " ended " + state + " (" + lane.queueState() + ")");
        } else {
            byte[] actual = lane.object(job.result().key());
            identical = compare(exportId, actual, reference, failures);
            lane.deleteObject(job.result().key());
        }
        if (!leftovers.none()) {
            failures.add(exportId + " left " + leftovers);
        }
        return exportId + " " + state + ", file " + identical + ", leftovers: " + leftovers;
    }

    public static String state(ExportJob job) {
        String s = job.status().name();
        if (job.error() != null) {
            s += " " + job.error().code() + " \"" + job.error().message() + "\"";
        }
        if (!job.status().isFinished()) {
            s += " (progress " + job.progress() + ", updated " + job.updatedAt() + ", checkpoint "
                    + (job.checkpoint() == null ? "none" : job.checkpoint()) + ")";
        }
        return s;
    }

    private static String compare(String exportId, byte[] actual, CompletableFuture<byte[]> reference,
                                  List<String> failures) {
        byte[] expected;
        try {
            expected = reference.get(3, TimeUnit.MINUTES);
        } catch (Exception e) {
            failures.add(exportId + ": no reference to compare with: " + e.getMessage());
            return "not compared";
        }
        int at = firstDifference(expected, actual);
        if (at < 0) {
            return "byte-identical (" + actual.length + " bytes)";
        }
        failures.add(exportId + ": file differs from the uninterrupted run at byte " + at + " (" + actual.length
                + " bytes, reference " + expected.length + "):\n  got      " + around(actual, at)
                + "\n  expected " + around(expected, at));
        return "DIFFERENT";
    }

    static int firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return a.length == b.length ? -1 : n;
    }

    private static String around(byte[] bytes, int at) {
        int from = Math.max(0, at - 60);
        int to = Math.min(bytes.length, at + 60);
        return "\"" + new String(bytes, from, to - from, StandardCharsets.UTF_8).replace("\n", "\\n") + "\"";
    }
}
