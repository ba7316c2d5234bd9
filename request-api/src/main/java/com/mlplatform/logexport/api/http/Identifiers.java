package com.mlplatform.logexport.api.http;

import com.mlplatform.logexport.shared.job.ExportIds;
import java.util.regex.Pattern;

/**
 * The patterns every identifier in a path or body must match; {@code openapi.yaml} states the same patterns.
 * None of them allows {@code %} or {@code /}, so encoded slashes and traversal attempts fail here, naming the field.
 */
public final class Identifiers {

    /** SageMaker's own rule for training job names (CreateTrainingJob TrainingJobName): 1–63 characters. */
    public static final String TRAINING_ID_REGEX = "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$";
    public static final int TRAINING_ID_MAX_LENGTH = 63;
    /** Use case ids: 1–64 letters, digits, '-' or '_', starting and ending with a letter or digit. */
    public static final String USECASE_ID_REGEX = "^[a-zA-Z0-9]([a-zA-Z0-9_-]{0,62}[a-zA-Z0-9])?$";
    public static final String EXPORT_ID_REGEX = ExportIds.EXPORT_ID.pattern();
    public static final String BATCH_ID_REGEX = ExportIds.BATCH_ID.pattern();
    /** Idempotency keys: 1–128 URL-safe characters, enough for a UUID or a ULID with a prefix. */
    public static final String IDEMPOTENCY_KEY_REGEX = "^[A-Za-z0-9_.:-]{1,128}$";

    private static final Pattern TRAINING_ID = Pattern.compile(TRAINING_ID_REGEX);
    private static final Pattern USECASE_ID = Pattern.compile(USECASE_ID_REGEX);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile(IDEMPOTENCY_KEY_REGEX);

    private Identifiers() {
    }

    public static boolean isTrainingId(String value) {
        return value != null && value.length() <= TRAINING_ID_MAX_LENGTH && TRAINING_ID.matcher(value).matches();
    }

    public static String trainingId(String value) {
        if (!isTrainingId(value)) {
            throw ApiException.invalid(trainingIdMessage());
        }
        return value;
    }

    public static String trainingIdMessage() {
        return "trainingId must be a SageMaker training job name: 1-63 letters, digits or hyphens, starting and"
                + " ending with a letter or digit.";
    }

    public static String usecaseId(String value) {
        if (value == null || !USECASE_ID.matcher(value).matches()) {
            throw ApiException.invalid("usecaseId must be 1-64 letters, digits, '-' or '_', starting and ending"
                    + " with a letter or digit.");
        }
        return value;
    }

    public static String exportId(String value) {
        if (value == null || !ExportIds.EXPORT_ID.matcher(value).matches()) {
            throw ApiException.invalid("exportId must look like exp- followed by 26 lower-case letters and digits.");
        }
        return value;
    }

    public static String batchId(String value) {
        if (value == null || !ExportIds.BATCH_ID.matcher(value).matches()) {
            throw ApiException.invalid("batchId must look like bat- followed by 26 lower-case letters and digits.");
        }
        return value;
    }

    public static String idempotencyKey(String value) {
        if (!IDEMPOTENCY_KEY.matcher(value).matches()) {
            throw ApiException.invalid("The Idempotency-Key header must be 1-128 letters, digits or '_', '.', ':',"
                    + " '-'.");
        }
        return value;
    }
}
