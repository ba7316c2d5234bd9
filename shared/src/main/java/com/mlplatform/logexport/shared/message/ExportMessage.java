package com.mlplatform.logexport.shared.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.mlplatform.logexport.shared.json.Json;
import java.util.Objects;

/**
 * The SQS message that asks the worker to (continue to) export one job. Deliberately small: the job record in
 * DynamoDB is the source of truth, the message only says which job and which hop of a long export this is.
 *
 * <p>JSON shape (pinned by {@code ExportMessageTest}): {@code {"v":1,"exportId":"exp-…","continuation":0}}.
 * A reader rejects any other {@code v}, so an old worker never misreads a newer producer.
 *
 * @param continuation 0 for the first delivery, n for the n-th resume after a checkpoint
 */
public record ExportMessage(
        @JsonProperty("v") int version,
        @JsonProperty("exportId") String exportId,
        @JsonProperty("continuation") int continuation) {

    public static final int CURRENT_VERSION = 1;

    @JsonCreator
    public ExportMessage {
        Objects.requireNonNull(exportId, "exportId");
        if (continuation < 0) {
            throw new IllegalArgumentException("continuation must not be negative");
        }
    }

    public static ExportMessage start(String exportId) {
        return new ExportMessage(CURRENT_VERSION, exportId, 0);
    }

    public ExportMessage next() {
        return new ExportMessage(CURRENT_VERSION, exportId, continuation + 1);
    }

    public String toJson() {
        return Json.write(this);
    }

    /** Parses a message body, refusing malformed JSON and unknown schema versions. */
    public static ExportMessage parse(String body) throws MalformedMessageException {
        if (body == null || body.isBlank()) {
            throw new MalformedMessageException("empty message body", null);
        }
        ExportMessage message;
        try {
            message = Json.MAPPER.readValue(body, ExportMessage.class);
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new MalformedMessageException("message body is not a valid export message", peekExportId(body));
        }
        if (message.version() != CURRENT_VERSION) {
            throw new MalformedMessageException("unsupported message version " + message.version(), message.exportId());
        }
        return message;
    }

    /** Best effort: find the export id in a body we cannot otherwise read, so the job can be marked FAILED. */
    private static String peekExportId(String body) {
        try {
            var node = Json.MAPPER.readTree(body);
            var id = node == null ? null : node.get("exportId");
            return id != null && id.isTextual() ? id.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A message the worker can never process. {@code exportId} is set when it could still be read. */
    public static final class MalformedMessageException extends Exception {
        private final String exportId;

        public MalformedMessageException(String reason, String exportId) {
            super(reason);
            this.exportId = exportId;
        }

        public String exportId() {
            return exportId;
        }
    }
}
