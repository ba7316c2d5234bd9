package com.mlplatform.logexport.worker;

import com.mlplatform.logexport.shared.message.ExportMessage;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The export queue, as the worker uses it: to hand an export to a fresh invocation. */
public record ContinuationQueue(SqsClient sqs, String queueUrl) {

    public void send(ExportMessage message) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(message.toJson()));
    }
}
