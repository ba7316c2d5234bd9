package com.mlplatform.logexport.shared.aws;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Where and as whom the AWS clients talk.
 *
 * <p>In Lambda: the region from {@code AWS_REGION}, the function's role, no endpoint override. Locally and in
 * integration tests: the emulator's endpoint and static credentials. Nothing else in the code decides this.
 *
 * <p>{@code emulatedAccountId} selects an account inside the emulator (moto's {@code x-moto-account-id} header; the
 * emulator harness also uses the account id as access key, which is how LocalStack picks the account). It exists
 * only to seed use-case accounts in tests and the local stack; production never sets it.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime">Lambda's reserved environment variables (AWS_REGION)</a>
 */
public record AwsSettings(Region region, Optional<URI> endpointOverride, AwsCredentialsProvider credentials,
                          Optional<String> emulatedAccountId) {

    public static final String ENV_REGION = "AWS_REGION";
    /** Only set for the local stack and tests; unset in the deployed Lambdas. */
    public static final String ENV_ENDPOINT = "AWS_ENDPOINT_URL";

    public AwsSettings {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpointOverride, "endpointOverride");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(emulatedAccountId, "emulatedAccountId");
        if (emulatedAccountId.isPresent() && endpointOverride.isEmpty()) {
            throw new IllegalArgumentException("an emulated account needs an emulator endpoint");
        }
    }

    public AwsSettings(Region region, Optional<URI> endpointOverride, AwsCredentialsProvider credentials) {
        this(region, endpointOverride, credentials, Optional.empty());
    }

    public static AwsSettings fromEnv(Map<String, String> env) {
        String region = env.getOrDefault(ENV_REGION, "us-east-1");
        Optional<URI> endpoint = Optional.ofNullable(env.get(ENV_ENDPOINT)).filter(s -> !s.isBlank()).map(URI::create);
        return new AwsSettings(Region.of(region), endpoint, DefaultCredentialsProvider.builder().build());
    }

    public boolean isEmulated() {
        return endpointOverride.isPresent();
    }
}
