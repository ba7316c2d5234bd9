package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.api.access.Caller;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.shared.usecase.UseCase;
import java.time.Clock;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Turns a validated request into a QUEUED job plus its queue message. */
public final class ExportAcceptor {

    private final ExportJobRepository jobs;
    private final SqsClient sqs;
    private final String queueUrl;
    private final Clock clock;

    public ExportAcceptor(ExportJobRepository jobs, SqsClient sqs, String queueUrl, Clock clock) {
        this.jobs = jobs;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.clock = clock;
    }

    public ExportJob acceptOne(Caller caller, UseCase useCase, String trainingId, ExportOptions options) {
        ExportJob job = ExportJob.queued(ExportIds.newExportId(), useCase.usecaseId(), trainingId, caller.userId(),
                options, null, clock.instant());
        jobs.create(job);
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(ExportMessage.start(job.exportId()).toJson()));
        return job;
    }
}
