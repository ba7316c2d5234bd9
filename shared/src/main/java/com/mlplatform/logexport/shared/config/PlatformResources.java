package com.mlplatform.logexport.shared.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The platform account's resources that both Lambdas use, read once from the environment. The variable names are
 * what {@code infra/template.yaml} sets; {@code TemplateCrossCheckTest} keeps the two in step.
 */
public record PlatformResources(String exportsTable, String usecasesTable, String queueUrl, String bucket) {

    public static final String ENV_EXPORTS_TABLE = "EXPORTS_TABLE";
    public static final String ENV_USECASES_TABLE = "USECASES_TABLE";
    public static final String ENV_QUEUE_URL = "EXPORT_QUEUE_URL";
    public static final String ENV_BUCKET = "EXPORT_BUCKET";
    public static final List<String> ENV_VARS = List.of(ENV_EXPORTS_TABLE, ENV_USECASES_TABLE, ENV_QUEUE_URL, ENV_BUCKET);

    public PlatformResources {
        Objects.requireNonNull(exportsTable, ENV_EXPORTS_TABLE);
        Objects.requireNonNull(usecasesTable, ENV_USECASES_TABLE);
        Objects.requireNonNull(queueUrl, ENV_QUEUE_URL);
        Objects.requireNonNull(bucket, ENV_BUCKET);
    }

    public static PlatformResources fromEnv(Map<String, String> env) {
        return new PlatformResources(required(env, ENV_EXPORTS_TABLE), required(env, ENV_USECASES_TABLE),
                required(env, ENV_QUEUE_URL), required(env, ENV_BUCKET));
    }

    public static String required(Map<String, String> env, String name) {
        return new Env(env).required(name);
    }
}
