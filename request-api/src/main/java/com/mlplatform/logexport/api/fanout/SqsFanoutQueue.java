package com.mlplatform.logexport.api.fanout;

import software.amazon.awssdk.services.sqs.SqsClient;

/** {@link FanoutQueue} on SQS. */
public record SqsFanoutQueue(SqsClient sqs, String queueUrl) implements FanoutQueue {

    @Override
    public void send(FanoutMessage message) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(message.toJson()));
    }
}
