package com.mlplatform.logexport.shared.job;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Export and batch ids: a prefix and 26 characters of lower-case Crockford base32 (130 random bits).
 * Unguessable, URL-safe, and easy to validate at the edge.
 */
public final class ExportIds {

    public static final Pattern EXPORT_ID = Pattern.compile("^exp-[0-9a-hjkmnp-tv-z]{26}$");
    public static final Pattern BATCH_ID = Pattern.compile("^bat-[0-9a-hjkmnp-tv-z]{26}$");

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ExportIds() {
    }

    public static String newExportId() {
        return "exp-" + random26();
    }

    public static String newBatchId() {
        return "bat-" + random26();
    }

    private static String random26() {
        byte[] bytes = new byte[17];
        RANDOM.nextBytes(bytes);
        StringBuilder sb = new StringBuilder(26);
        long buffer = 0;
        int bits = 0;
        int i = 0;
        while (sb.length() < 26) {
            if (bits < 5) {
                buffer = (buffer << 8) | (bytes[i++] & 0xff);
                bits += 8;
            }
            sb.append(ALPHABET[(int) ((buffer >>> (bits - 5)) & 31)]);
            bits -= 5;
        }
        return sb.toString();
    }
}
