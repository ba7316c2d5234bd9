package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.shared.message.ExportMessage;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The export queue the worker consumes. */
public final class SqsExportQueue implements ExportQueue {

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsExportQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(ExportMessage message) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(message.toJson()));
    }
}
