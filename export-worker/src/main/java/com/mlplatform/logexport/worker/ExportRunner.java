package com.mlplatform.logexport.worker;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.metrics.ExportMetrics;
import com.mlplatform.logexport.shared.retry.Sleeper;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.events.InvocationMetrics;
import com.mlplatform.logexport.worker.failure.AwsFailures;
import com.mlplatform.logexport.worker.failure.JobFailure;
import com.mlplatform.logexport.worker.failure.OutOfTime;
import com.mlplatform.logexport.worker.failure.Retrier;
import com.mlplatform.logexport.worker.invocation.ExportBucket;
import com.mlplatform.logexport.worker.invocation.ExportInvocation;
import com.mlplatform.logexport.worker.invocation.InvocationResult;
import com.mlplatform.logexport.worker.invocation.LogGroup;
import com.mlplatform.logexport.worker.invocation.Retries;
import com.mlplatform.logexport.worker.job.LeasedJob;
import com.mlplatform.logexport.worker.logs.CloudWatchLogSource;
import com.mlplatform.logexport.worker.logs.LogSource;
import com.mlplatform.logexport.worker.logs.ReadAheadLogSource;
import com.mlplatform.logexport.worker.logs.ReadAheadSettings;
import com.mlplatform.logexport.worker.readbudget.DynamoBucketStore;
import com.mlplatform.logexport.worker.readbudget.ReadBudgetSettings;
import com.mlplatform.logexport.worker.readbudget.ReadBudgets;
import com.mlplatform.logexport.worker.role.CrossAccountRole;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * Runs one export invocation for a job this delivery holds: finds the job's use case, assumes the use case's role,
 * opens its log group, and hands {@link ExportInvocation} the pieces, with retries bounded by the budget.
 */
final class ExportRunner {

    private final Platform platform;
    private final WorkerSetup setup;
    private final StructuredLog log;
    private final ReadAheadSettings readAhead = ReadAheadSettings.from(System.getenv());
    private final ReadBudgets readBudgets;

    ExportRunner(Platform platform, WorkerSetup setup) {
        this.platform = platform;
        this.setup = setup;
        this.log = setup.log();
        this.readBudgets = new ReadBudgets(ReadBudgetSettings.from(System.getenv()),
                new DynamoBucketStore(platform.clients().dynamo(), setup.config().resources().exportsTable()),
                // Wall-clock time shared with the other workers, never the setup's clock (tests step or shift it).
                System::currentTimeMillis, Sleeper.THREAD,
                e -> log.warn("read_budget_fallback", "error", AwsFailures.describe(e)));
    }

    InvocationResult run(LeasedJob leased, Checkpoint checkpoint, Delivery delivery) {
        ExportJob job = leased.current();
        UseCase useCase = platform.useCases().find(job.usecaseId()).orElseThrow(() -> JobFailure.invalidRequest(
                "Use case '" + job.usecaseId() + "' is not registered with the platform."));
        CrossAccountRole role = new CrossAccountRole(platform.sts()::assumeRole, useCase, job.requestedBy(),
                setup.clock(), setup.config().roleSessionDuration());
        InvocationMetrics metrics = new InvocationMetrics(new ExportMetrics(setup.metrics()));
        Retries retries = retries(job, role, delivery, metrics);
        try {
            // Assume the role up front: its errors (trust policy, external id) surface here, not inside the SDK.
            retries.work().call(role::resolveCredentials);
            try (CloudWatchLogsClient logs = platform.clients().logs(role, Region.of(useCase.region()))) {
                ReadBudgets.Account reads = readBudgets.forAccount(useCase.accountId(), useCase.region());
                var cloudWatch = metrics.counting(new CloudWatchLogSource(logs, useCase.logGroup(), job.trainingId(),
                        role.role(), delivery.budget().work(), reads.listings()));
                LogSource source = ReadAheadLogSource.of(cloudWatch, readAhead, reads.pages(),
                        delivery.budget().work()::isPassed);
                try {
                    var bucket = new ExportBucket(platform.bucket(), delivery.store(), setup.config().partSizes());
                    InvocationResult result = new ExportInvocation(job, new LogGroup(useCase.logGroup(), source),
                            bucket, retries, leased).run(checkpoint);
                    if (result instanceof InvocationResult.Paused p && p.checkpoint().uploadId() == null
                            && checkpoint.uploadId() != null) {
                        log.warn("upload_restarted", "exportId", job.exportId(), "hop", checkpoint.continuation());
                    }
                    return result;
                } finally {
                    // Pause, finish or failure: nothing read ahead outlives the invocation (or its client).
                    ReadAheadLogSource.closeIfReadingAhead(source);
                }
            }
        } catch (OutOfTime e) {
            // Out of time before the merge began (throttled by STS, or while listing streams): continue from the
            // last durable checkpoint in a fresh invocation. Never a failure while time remains.
            return new InvocationResult.Paused(leased.checkpoint(), leased.current().progress());
        } finally {
            metrics.flush();
        }
    }

    private Retries retries(ExportJob job, CrossAccountRole role, Delivery delivery, InvocationMetrics metrics) {
        Retrier.RetryListener listener = metrics.counting((failure, attempt, sleep) -> log.warn("backoff", "exportId",
                job.exportId(), "operation", failure.operation(), "kind", failure.kind().name(),
                "attempt", attempt, "sleepMillis", sleep));
        Runnable refresh = () -> {
            role.refresh();
            log.info("credentials_refreshed", "exportId", job.exportId());
        };
        return new Retries(Retrier.withDefaults(delivery.budget().work(), refresh, listener),
                Retrier.withDefaults(delivery.budget().hard(), refresh, listener));
    }
}
