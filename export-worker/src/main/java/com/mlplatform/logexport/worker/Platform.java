package com.mlplatform.logexport.worker;

import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.config.PlatformResources;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.usecase.UseCaseRegistry;
import com.mlplatform.logexport.worker.job.JobLedger;
import com.mlplatform.logexport.worker.time.Deadline;
import com.mlplatform.logexport.worker.upload.S3MultipartStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The platform account's side of the worker, built once per container: the exports table (as the job ledger), the
 * use-case registry, the export queue and bucket, STS for the use cases' roles, and the client factory that opens
 * a use case's CloudWatch Logs with the assumed role.
 */
public record Platform(JobLedger ledger, UseCaseRegistry useCases, ContinuationQueue queue, S3Client s3,
                       String bucket, StsClient sts, AwsClients clients) {

    public static Platform connect(WorkerSetup setup) {
        AwsClients clients = setup.clients();
        PlatformResources resources = setup.config().resources();
        var dynamo = clients.dynamo();
        return new Platform(new JobLedger(new ExportJobRepository(dynamo, resources.exportsTable()), setup.clock()),
                new UseCaseRegistry(dynamo, resources.usecasesTable()),
                new ContinuationQueue(clients.sqs(), resources.queueUrl()), clients.s3(), resources.bucket(),
                clients.sts(), clients);
    }

    /** The export bucket, every call bounded by {@code deadline}. */
    public S3MultipartStore store(Deadline deadline) {
        return new S3MultipartStore(s3, bucket, deadline);
    }
}
