package com.mlplatform.logexport.shared.job;

import com.mlplatform.logexport.shared.hash.Base32;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Export and batch ids: a prefix and 26 characters of lower-case Crockford base32 (130 random bits).
 * Unguessable, URL-safe, and easy to validate at the edge.
 */
public final class ExportIds {

    public static final Pattern EXPORT_ID = Pattern.compile("^exp-" + Base32.CHARACTER_CLASS + "{26}$");
    public static final Pattern BATCH_ID = Pattern.compile("^bat-" + Base32.CHARACTER_CLASS + "{26}$");

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
        return Base32.encode(bytes, 26);
    }
}
