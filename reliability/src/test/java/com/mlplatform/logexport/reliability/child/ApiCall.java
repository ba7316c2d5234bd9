package com.mlplatform.logexport.reliability.child;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One HTTP request to the request API, as the parent writes it to the API child's standard input (one JSON object a
 * line), and the answer the child prints back.
 *
 * @param idempotencyKey sent as {@code Idempotency-Key} when not null, so a client's retry after a lost answer is
 *                       recognised as the same request
 */
public record ApiCall(String method, String path, String user, String body, String idempotencyKey) {

    static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        return write(this);
    }

    public static ApiCall fromJson(String line) {
        return read(line, ApiCall.class);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String text, Class<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + text, e);
        }
    }

    /** The API's answer. */
    public record Answer(int status, String body) {
        public String toJson() {
            return write(this);
        }

        public static Answer fromJson(String text) {
            return read(text, Answer.class);
        }

        /** The export ids the answer names: a single export's, or each accepted one of a batch. */
        public java.util.List<String> exportIds() {
            java.util.List<String> ids = new java.util.ArrayList<>();
            try {
                var root = JSON.readTree(body);
                if (root.hasNonNull("exportId")) {
                    ids.add(root.get("exportId").asText());
                }
                if (root.has("exports")) {
                    root.get("exports").forEach(e -> {
                        if (e.hasNonNull("exportId")) {
                            ids.add(e.get("exportId").asText());
                        }
                    });
                }
            } catch (JsonProcessingException e) {
                // not JSON: no ids
            }
            return ids;
        }

        public String field(String name) {
            try {
                var node = JSON.readTree(body).get(name);
                return node == null ? null : node.asText();
            } catch (JsonProcessingException e) {
                return null;
            }
        }
    }
}
