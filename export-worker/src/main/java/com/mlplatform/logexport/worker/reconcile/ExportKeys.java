package com.mlplatform.logexport.worker.reconcile;

import java.util.Optional;

/**
 * Where an export's objects live: {@code exports/<usecase>/<exportId>/<file>} for the upload and the finished file,
 * {@code work/<usecase>/<exportId>/...} for the working object ({@code ExportHop.objectKey} and
 * {@code stashKey}; {@code ExportKeysTest} holds the two in step). Cleaning up by prefix also finds an upload that
 * a crashed hop created but never recorded in its checkpoint.
 */
public final class ExportKeys {

    public static final String EXPORTS = "exports/";
    public static final String WORK = "work/";

    private ExportKeys() {
    }

    public static String exportPrefix(String usecaseId, String exportId) {
        return EXPORTS + usecaseId + "/" + exportId + "/";
    }

    public static String workPrefix(String usecaseId, String exportId) {
        return WORK + usecaseId + "/" + exportId + "/";
    }

    /** The export id in a key of either layout, if it has one. */
    public static Optional<String> exportIdOf(String key) {
        String[] parts = key.split("/", 4);
        if (parts.length < 4 || !(parts[0] + "/").equals(EXPORTS) && !(parts[0] + "/").equals(WORK)
                || parts[2].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parts[2]);
    }
}
