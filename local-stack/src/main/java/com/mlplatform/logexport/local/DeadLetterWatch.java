package com.mlplatform.logexport.local;

import java.io.PrintStream;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Tells the console when a message lands in the dead-letter queue: in the cloud an alarm does this; locally a
 * poisoned export would otherwise vanish without a word.
 */
final class DeadLetterWatch implements AutoCloseable {

    private final SqsClient sqs;
    private final String dlqUrl;
    private final PrintStream console;
    private final Thread thread;
    private volatile boolean running = true;

    DeadLetterWatch(SqsClient sqs, String dlqUrl, PrintStream console) {
        this.sqs = sqs;
        this.dlqUrl = dlqUrl;
        this.console = console;
        this.thread = new Thread(this::watch, "dead-letter-watch");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void watch() {
        long seen = 0;
        while (running) {
            try {
                Thread.sleep(3_000);
                long now = Long.parseLong(sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
                if (now > seen) {
                    console.println("[worker] " + (now - seen) + " message(s) moved to the dead-letter queue after"
                            + " too many failed deliveries (" + now + " there now): " + dlqUrl);
                }
                seen = now;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
