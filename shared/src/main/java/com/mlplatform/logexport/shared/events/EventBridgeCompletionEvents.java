package com.mlplatform.logexport.shared.events;

import com.mlplatform.logexport.shared.config.Env;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Completion events on an EventBridge bus, one PutEvents call per event.
 *
 * <p>PutEvents answers 200 even when it rejected an entry: the rejection is in {@code FailedEntryCount} and the
 * entry's {@code ErrorCode}, so both are checked. (The SDK has already retried throttling and 5xx of the call.)
 *
 * @see <a href="https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html">PutEvents</a>
 */
public final class EventBridgeCompletionEvents implements CompletionEvents {

    /** The bus to put completion events on; the account's default bus when unset. */
    public static final String ENV_EVENT_BUS = "COMPLETION_EVENT_BUS";
    public static final String DEFAULT_BUS = "default";

    private final EventBridgeClient events;
    private final String bus;

    public EventBridgeCompletionEvents(EventBridgeClient events, String bus) {
        this.events = Objects.requireNonNull(events, "events");
        this.bus = Objects.requireNonNull(bus, "bus");
    }

    /** The bus named by {@value #ENV_EVENT_BUS}, or the default bus. */
    public static String busFromEnv(Map<String, String> env) {
        return new Env(env).text(ENV_EVENT_BUS, DEFAULT_BUS);
    }

    public String bus() {
        return bus;
    }

    @Override
    public void publish(ExportFinished event) {
        PutEventsResponse response = events.putEvents(r -> r.entries(PutEventsRequestEntry.builder()
                .eventBusName(bus)
                .source(ExportFinished.SOURCE)
                .detailType(ExportFinished.DETAIL_TYPE)
                .detail(event.detailJson())
                .time(event.finishedAt())
                .build()));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            PutEventsResultEntry entry = response.entries().isEmpty() ? null : response.entries().get(0);
            throw new IllegalStateException("EventBridge rejected the completion event of " + event.exportId()
                    + ": " + (entry == null ? "no entry" : entry.errorCode()));
        }
    }
}
