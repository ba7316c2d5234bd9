package com.mlplatform.logexport.worker.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.mlplatform.logexport.shared.archive.ArchiveIds;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.worker.invocation.ExportKeys;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A batch's archive job is reconciled like an export: re-driven when silent, FAILED and cleaned up when too old. */
class ReconcilerArchiveTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final ReconcilerWorld world = new ReconcilerWorld();

    private ExportJob archive() {
        ExportJob job = ArchiveIds.queuedJob(ExportIds.newBatchId(), ReconcilerWorld.USECASE, "alice", T0);
        world.exports.put(job);
        return job;
    }

    @Test
    void archiveWhoseMessageWasLost_isRedriven_withItsOwnId() {
        ExportJob archive = archive();

        var report = world.run(T0.plusSeconds(900));

        assertThat(world.queue.sent()).containsExactly(ExportMessage.start(archive.exportId()));
        assertThat(report.count("redriven_queued_silent")).isEqualTo(1);
    }

    @Test
    void archiveRunningPastTheMaximumAge_isFailed_itsUploadAborted_andNoExportEventPublished() {
        ExportJob archive = archive();
        world.claim(archive, T0.plusSeconds(10));
        world.startUpload(archive, T0.plusSeconds(20));

        var report = world.run(T0.plusSeconds(86_400));

        assertThat(world.job(archive).status()).isEqualTo(ExportStatus.FAILED);
        assertThat(report.count("failed_too_old")).isEqualTo(1);
        assertThat(world.bucket.openUploads(ExportKeys.exportPrefix(archive.usecaseId(), archive.exportId())))
                .isEmpty();
        assertThat(world.events.published()).as("a batch's archive is no export").isEmpty();
    }
}
