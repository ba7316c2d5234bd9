package com.mlplatform.logexport.shared.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, for keys that must not show what they were made from (user ids, idempotency keys). */
public final class Sha256 {

    private Sha256() {
    }

    /** The lower-case hex SHA-256 of {@code value}'s UTF-8 bytes: 64 characters. */
    public static String hex(String value) {
        return HexFormat.of().formatHex(digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** The 32-byte SHA-256 of {@code bytes}. */
    public static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
