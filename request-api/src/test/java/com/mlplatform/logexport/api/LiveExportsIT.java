package com.mlplatform.logexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.emulator.Accounts;
import com.mlplatform.logexport.shared.job.ExportJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * In-flight dedupe hands back only live exports: QUEUED or RUNNING and written within the reconciler's bound
 * ({@code ApiConfig.stuckAfter}). A silent one is presumed stuck (the reconciler re-drives or fails it): a retry
 * starts a new export, on the POST and on the legacy download route, and the stuck one does not count against the
 * cap. The user {@code dave} is alone in {@code uc-live}, so the cap counts only this class's exports.
 */
class LiveExportsIT {

    @RegisterExtension
    static final ApiHarness api = new ApiHarness();

    @BeforeAll
    static void dave() {
        api.registry.put(ApiHarness.useCase("uc-live", Accounts.USECASE_A, Set.of("dave")));
    }

    @Test
    void retryOfAStuckExport_shouldStartANewOne_onThePostAndOnTheLegacyDownloadRoute() {
        String first = api.call("POST", "/usecases/uc-live/trainings/stuck-1/log-exports", "dave")
                .assertStatus(202).text("/exportId");
        assertThat(api.call("POST", "/usecases/uc-live/trainings/stuck-1/log-exports", "dave")
                .assertStatus(202).text("/exportId")).as("live: handed back").isEqualTo(first);

        silence(first);
        String second = api.call("POST", "/usecases/uc-live/trainings/stuck-1/log-exports", "dave")
                .assertStatus(202).text("/exportId");
        assertThat(second).as("a stuck export is never handed back").isNotEqualTo(first);

        silence(second);
        var legacy = api.call("GET", "/usecases/uc-live/trainings/stuck-1/logs/download", "dave").assertStatus(202);
        assertThat(legacy.text("/exportId")).isNotIn(first, second);
        assertThat(legacy.text("/status")).isEqualTo("QUEUED");
    }

    @Test
    void aStuckExport_shouldNotCountAgainstTheCap() {
        api.reconfigure(api.config().withMaxActiveExportsPerUser(1));
        try {
            String stuck = api.call("POST", "/usecases/uc-live/trainings/cap-stuck/log-exports", "dave")
                    .assertStatus(202).text("/exportId");
            api.call("POST", "/usecases/uc-live/trainings/cap-other/log-exports", "dave")
                    .assertError(429, "TOO_MANY_REQUESTS");
            silence(stuck);
            api.call("POST", "/usecases/uc-live/trainings/cap-other/log-exports", "dave").assertStatus(202);
        } finally {
            api.reconfigure(api.config());
        }
    }

    /** Rewrites the export as if nothing had written it since one bound and a minute ago (still QUEUED). */
    private static void silence(String exportId) {
        var repo = api.repo();
        ExportJob job = repo.find(exportId).orElseThrow();
        Instant then = Instant.now().minus(api.config().stuckAfter()).minus(Duration.ofMinutes(1));
        repo.replace(job, new ExportJob(job.exportId(), job.usecaseId(), job.trainingId(), job.requestedBy(),
                job.options(), job.status(), then, then, job.batchId(), job.progress(), null, null, null,
                job.version())).orElseThrow();
    }
}
