package com.mlplatform.logexport.api.fanout;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.json.Json;
import java.util.Objects;

/**
 * The message that asks the fan-out to create a batch's exports: {@code {"v":1,"batchId":"bat-…"}}. The batch
 * record is the source of truth; the message only names it, so a redelivery or a re-drive is the same message.
 */
public record FanoutMessage(@JsonProperty("v") int version, @JsonProperty("batchId") String batchId) {

    public static final int CURRENT_VERSION = 1;

    @JsonCreator
    public FanoutMessage {
        Objects.requireNonNull(batchId, "batchId");
        if (!ExportIds.BATCH_ID.matcher(batchId).matches()) {
            throw new IllegalArgumentException("not a batch id");
        }
    }

    public static FanoutMessage of(String batchId) {
        return new FanoutMessage(CURRENT_VERSION, batchId);
    }

    public String toJson() {
        return Json.write(this);
    }

    /** Reads a body; {@link IllegalArgumentException} for anything that is not a current fan-out message. */
    public static FanoutMessage parse(String body) {
        FanoutMessage m;
        try {
            m = Json.MAPPER.readValue(body == null ? "" : body, FanoutMessage.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a fan-out message", e);
        }
        if (m.version() != CURRENT_VERSION) {
            throw new IllegalArgumentException("unsupported fan-out message version " + m.version());
        }
        return m;
    }
}
