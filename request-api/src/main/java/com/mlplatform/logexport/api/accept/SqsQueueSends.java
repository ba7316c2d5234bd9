package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.shared.message.ExportMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * {@link QueueSends} on SQS. The entry id is the export id: export ids ({@code exp-} + 26 base32 characters) meet
 * SendMessageBatch's rule for ids (up to 80 letters, digits, '-' and '_').
 *
 * @see <a href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatchRequestEntry.html">SendMessageBatchRequestEntry</a>
 */
public record SqsQueueSends(SqsClient sqs, String queueUrl) implements QueueSends {

    @Override
    public Map<String, Boolean> sendBatch(List<String> exportIds) {
        List<SendMessageBatchRequestEntry> entries = exportIds.stream()
                .map(id -> SendMessageBatchRequestEntry.builder().id(id)
                        .messageBody(ExportMessage.start(id).toJson()).build())
                .toList();
        var response = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
        Map<String, Boolean> failed = new HashMap<>();
        response.failed().forEach(f -> failed.put(f.id(), Boolean.TRUE.equals(f.senderFault())));
        return failed;
    }
}
