package com.mlplatform.logexport.reliability.trial;

import com.mlplatform.logexport.reliability.child.ApiCall;
import java.util.List;
import java.util.UUID;

/**
 * The requests the trials send, as a client would. Each trial asks for a window of its own (all of which holds
 * every event), so the API's in-flight dedupe never joins one trial's export to an earlier trial's in the same
 * lane; odd trials ask for JSON Lines, even ones for text.
 */
public final class ExportRequests {

    /** Long before any seeded event. */
    private static final long WINDOW_START = 1_600_000_000_000L;

    private ExportRequests() {
    }

    public static ApiCall single(String training, int trial) {
        return new ApiCall("POST", "/usecases/" + Trainings.USECASE + "/trainings/" + training + "/log-exports",
                Trainings.USER, options(trial, ""), UUID.randomUUID().toString());
    }

    public static ApiCall batch(List<String> trainings, int trial) {
        String ids = String.join(",", trainings.stream().map(t -> "\"" + t + "\"").toList());
        return new ApiCall("POST", "/usecases/" + Trainings.USECASE + "/log-exports", Trainings.USER,
                options(trial, "\"trainingIds\":[" + ids + "],"), UUID.randomUUID().toString());
    }

    /** The start of trial {@code trial}'s window: how its export records are told apart from others. */
    public static long windowStart(int trial) {
        return WINDOW_START + trial;
    }

    private static String options(int trial, String more) {
        return "{" + more + "\"format\":\"" + (trial % 2 == 0 ? "text" : "jsonl") + "\",\"startTime\":"
                + windowStart(trial) + "}";
    }
}
