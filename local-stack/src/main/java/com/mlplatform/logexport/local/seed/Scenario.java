package com.mlplatform.logexport.local.seed;

import java.util.List;

/**
 * What a loaded seed put where: the page's pickers (users, use cases, training jobs) come from this, served by the
 * local gateway at {@code GET /local/scenario}. Stream names are resolved (relative start times become epochs).
 */
public record Scenario(String description, List<UserView> users, List<UseCaseView> usecases) {

    public record UserView(String id, String name) {
    }

    public record UseCaseView(String id, String description, String accountId, String logGroup, List<String> members,
                              List<JobView> trainingJobs) {
    }

    public record JobView(String name, String description, List<String> streams, long events) {
    }

    public long totalEvents() {
        return usecases.stream().flatMap(u -> u.trainingJobs().stream()).mapToLong(JobView::events).sum();
    }
}
