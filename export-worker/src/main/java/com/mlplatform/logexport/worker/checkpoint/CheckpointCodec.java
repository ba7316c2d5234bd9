package com.mlplatform.logexport.worker.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mlplatform.logexport.shared.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Checkpoint ⇄ the job record's string. Plain JSON while small (readable in the console); gzip + base64 above
 * {@value #COMPRESS_ABOVE} characters, so that even thousands of streams (names share the job prefix and compress
 * well) stay far below DynamoDB's 400 KB item limit. Part ETags are never stored: S3 ListParts returns them.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html">DynamoDB item size limit</a>
 */
public final class CheckpointCodec {

    static final int COMPRESS_ABOVE = 32 * 1024;
    /** Refuse to write a record DynamoDB would reject (400 KB item), with room for the job's other attributes. */
    static final int MAX_STORED = 300 * 1024;
    private static final String GZIP_PREFIX = "gz:";

    private CheckpointCodec() {
    }

    public static String encode(Checkpoint checkpoint) {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(checkpoint);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        String stored = json.length() <= COMPRESS_ABOVE ? json : GZIP_PREFIX + gzip(json);
        if (stored.length() > MAX_STORED) {
            throw new IllegalStateException("checkpoint too large for the job record: " + stored.length() + " chars");
        }
        return stored;
    }

    public static Checkpoint decode(String stored) {
        if (stored == null || stored.isBlank()) {
            return null;
        }
        String json = stored.startsWith(GZIP_PREFIX) ? gunzip(stored.substring(GZIP_PREFIX.length())) : stored;
        try {
            Checkpoint c = Json.MAPPER.readValue(json, Checkpoint.class);
            if (c.v() != Checkpoint.VERSION) {
                throw new IllegalStateException("unsupported checkpoint version " + c.v());
            }
            return c;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable checkpoint", e);
        }
    }

    private static String gzip(String json) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(json.length() / 4);
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static String gunzip(String base64) {
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            return new String(gz.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
