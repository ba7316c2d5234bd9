package com.mlplatform.logexport.api.accept;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.mlplatform.logexport.api.http.ApiException;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.job.ExportCompression;
import com.mlplatform.logexport.shared.job.ExportFormat;
import com.mlplatform.logexport.shared.job.ExportOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads and validates the body of the two export routes. Every rejection is a 400 that names the field, so a
 * script author can fix the request without reading our code.
 */
public final class ExportRequestBody {

    /** 5,000 ids of 63 characters plus options fit in ~330 KB; anything far beyond is not a real request. */
    public static final int MAX_BODY_BYTES = 512 * 1024;
    public static final int MAX_BATCH_SIZE = 5_000;

    static final Set<String> OPTION_FIELDS = Set.of("format", "startTime", "endTime", "compression");
    static final Set<String> BATCH_FIELDS = Set.of("trainingIds", "format", "startTime", "endTime", "compression");

    // Not the shared Json.MAPPER: a body is untrusted input, so nesting is capped and duplicate keys are refused.
    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        READER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
    }

    /** The batch route's body: the raw ids (each validated on its own) and the options for all of them. */
    public record Batch(List<String> trainingIds, ExportOptions options) {
    }

    private ExportRequestBody() {
    }

    /** The single-export body: optional; an absent or empty body means the default options. */
    public static ExportOptions single(String body) {
        JsonNode node = parse(body, false);
        if (node == null) {
            return ExportOptions.DEFAULT;
        }
        rejectUnknown(node, OPTION_FIELDS);
        return options(node);
    }

    public static Batch batch(String body) {
        JsonNode node = parse(body, true);
        rejectUnknown(node, BATCH_FIELDS);
        JsonNode ids = node.get("trainingIds");
        if (ids == null || !ids.isArray()) {
            throw ApiException.invalid("trainingIds must be an array of training job names.");
        }
        if (ids.isEmpty() || ids.size() > MAX_BATCH_SIZE) {
            throw ApiException.invalid("trainingIds must hold between 1 and " + MAX_BATCH_SIZE + " ids.");
        }
        List<String> list = new ArrayList<>(ids.size());
        // A non-string entry is an invalid id like any other: an error on its own item, not on the batch.
        ids.forEach(id -> list.add(id.isTextual() ? id.asText() : null));
        return new Batch(list, options(node));
    }

    private static JsonNode parse(String body, boolean required) {
        if (body == null || body.isBlank()) {
            if (required) {
                throw ApiException.invalid("The request needs a JSON body.");
            }
            return null;
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The request body is larger than " + MAX_BODY_BYTES / 1024 + " KiB.");
        }
        JsonNode node;
        try {
            node = READER.readTree(body);
        } catch (JsonProcessingException | RuntimeException e) {
            throw ApiException.invalid("The request body is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("The request body must be a JSON object.");
        }
        return node;
    }

    private static void rejectUnknown(JsonNode node, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                throw ApiException.invalid("Unknown field '" + printable(field) + "'. Allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ".");
            }
        }
    }

    private static ExportOptions options(JsonNode node) {
        ExportFormat format = ExportFormat.TEXT;
        JsonNode f = node.get("format");
        if (f != null && !f.isNull()) {
            if (!f.isTextual()) {
                throw ApiException.invalid("format must be \"text\" or \"jsonl\".");
            }
            format = ExportFormat.fromWire(f.asText())
                    .orElseThrow(() -> ApiException.invalid("format must be \"text\" or \"jsonl\"."));
        }
        Long start = time(node, "startTime");
        Long end = time(node, "endTime");
        if (start != null && end != null && start > end) {
            throw ApiException.invalid("startTime must not be after endTime.");
        }
        return new ExportOptions(format, start, end, compression(node));
    }

    private static ExportCompression compression(JsonNode node) {
        JsonNode c = node.get("compression");
        if (c == null || c.isNull()) {
            return ExportCompression.NONE;
        }
        String message = "compression must be \"none\" or \"gzip\".";
        if (!c.isTextual()) {
            throw ApiException.invalid(message);
        }
        return ExportCompression.fromWire(c.asText()).orElseThrow(() -> ApiException.invalid(message));
    }

    /** Epoch milliseconds as a JSON integer, or an ISO-8601 instant such as 2025-01-31T12:00:00Z. */
    private static Long time(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String message = field + " must be epoch milliseconds or an ISO-8601 time such as 2025-01-31T12:00:00Z.";
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong() || v.asLong() < 0) {
                throw ApiException.invalid(message);
            }
            return v.asLong();
        }
        if (v.isTextual()) {
            long millis = iso(v.asText(), message);
            if (millis < 0) {
                // Log events carry epoch-millisecond timestamps, none before 1970: refuse here, naming the field,
                // rather than accept an export that can only fail later.
                throw ApiException.invalid(field + " must not be before 1970-01-01T00:00:00Z.");
            }
            return millis;
        }
        throw ApiException.invalid(message);
    }

    private static long iso(String text, String message) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e2) {
                throw ApiException.invalid(message);
            }
        }
    }

    /** Field names come from the caller: cap and strip them before they go into a message. */
    private static String printable(String s) {
        String cleaned = s.replaceAll("[^\\x20-\\x7e]", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "..." : cleaned;
    }
}
