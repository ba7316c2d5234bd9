package com.mlplatform.logexport.worker;

import com.mlplatform.logexport.shared.archive.ArchiveMembers;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.worker.archive.ArchiveInvocation;
import com.mlplatform.logexport.worker.archive.ArchivePlan;
import com.mlplatform.logexport.worker.archive.DynamoMemberSnapshots;
import com.mlplatform.logexport.worker.archive.MemberSnapshots;
import com.mlplatform.logexport.worker.archive.S3ExportFiles;
import com.mlplatform.logexport.worker.archive.Zip64Limits;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.failure.JobFailure;
import com.mlplatform.logexport.worker.failure.OutOfTime;
import com.mlplatform.logexport.worker.failure.Retrier;
import com.mlplatform.logexport.worker.invocation.ExportBucket;
import com.mlplatform.logexport.worker.invocation.ExportKeys;
import com.mlplatform.logexport.worker.invocation.InvocationResult;
import com.mlplatform.logexport.worker.invocation.Retries;
import com.mlplatform.logexport.worker.job.LeasedJob;

/**
 * Runs one invocation of a batch's archive job (an {@code arc-} job, docs/worker.md "Batch archives"): reads the
 * member snapshot the API stored with the request, plans the archive and hands {@link ArchiveInvocation} the
 * platform's bucket. No use case role: everything it reads is the platform's own.
 */
final class ArchiveRunner {

    private final Platform platform;
    private final WorkerSetup setup;
    private final MemberSnapshots snapshots;

    ArchiveRunner(Platform platform, WorkerSetup setup) {
        this.platform = platform;
        this.setup = setup;
        this.snapshots = new DynamoMemberSnapshots(setup.clients().dynamo(),
                setup.config().resources().exportsTable());
    }

    InvocationResult run(LeasedJob leased, Checkpoint checkpoint, Delivery delivery) {
        ExportJob job = leased.current();
        Retries retries = new Retries(
                Retrier.withDefaults(delivery.budget().work(), () -> { }, Retrier.RetryListener.NONE),
                Retrier.withDefaults(delivery.budget().hard(), () -> { }, Retrier.RetryListener.NONE));
        String batchId = job.trainingId();
        try {
            ArchiveMembers members = retries.work().call(() -> snapshots.find(batchId)).orElseThrow(() ->
                    JobFailure.invalidRequest("The list of exports for the archive of batch " + batchId
                            + " is missing; ask for the archive again."));
            ArchivePlan plan = ArchivePlan.of(members, ExportKeys.filename(job), job.createdAt());
            var bucket = new ExportBucket(platform.bucket(), delivery.store(), setup.config().partSizes());
            return new ArchiveInvocation(job, plan, bucket,
                    new S3ExportFiles(platform.s3(), platform.bucket(), delivery.budget().hard()), retries, leased,
                    Zip64Limits.STANDARD, ArchiveInvocation.CHUNK_BYTES).run(checkpoint);
        } catch (OutOfTime e) {
            return new InvocationResult.Paused(leased.checkpoint(), leased.current().progress());
        }
    }
}
