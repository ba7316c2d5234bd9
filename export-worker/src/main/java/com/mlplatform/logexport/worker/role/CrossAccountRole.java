package com.mlplatform.logexport.worker.role;

import com.mlplatform.logexport.shared.session.Operation;
import com.mlplatform.logexport.shared.session.SessionName;
import com.mlplatform.logexport.shared.session.SessionNameGenerator;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.worker.failure.AwsFailures;
import com.mlplatform.logexport.worker.failure.JobFailure;
import com.mlplatform.logexport.worker.failure.RoleRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Credentials for one use case's account, obtained with AssumeRole and refreshed before they expire (and on demand
 * when a call reports an expired token). The only way the worker reaches training logs. Every request carries a
 * validated {@link SessionName}, and the user's full id as {@code SourceIdentity} when it fits AWS's rules for it
 * (docs/worker.md, "Session names").
 *
 * @see <a href="https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html">AssumeRole: RoleSessionName, SourceIdentity</a>
 */
public final class CrossAccountRole implements AwsCredentialsProvider {

    /** Refresh this long before expiry, so a long page fetch never starts with nearly-expired credentials. */
    static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);
    private static final Pattern SOURCE_IDENTITY = Pattern.compile("[\\w+=,.@-]{2,64}");

    private final AssumeRoleCall sts;
    private final UseCase useCase;
    private final String userId;
    private final Clock clock;
    private final Duration sessionDuration;
    private AwsSessionCredentials current;
    private int assumeCount;

    public CrossAccountRole(AssumeRoleCall sts, UseCase useCase, String userId, Clock clock,
                            Duration sessionDuration) {
        this.sts = sts;
        this.useCase = useCase;
        this.userId = userId;
        this.clock = clock;
        this.sessionDuration = sessionDuration;
    }

    @Override
    public synchronized AwsCredentials resolveCredentials() {
        if (current == null || expiresSoon(current)) {
            current = assume(SessionNameGenerator.generate(userId, Operation.LOGS_DOWNLOAD, clock.instant()));
        }
        return current;
    }

    /** Drops the cached credentials: the next call assumes the role again. */
    public synchronized void refresh() {
        current = null;
    }

    /** How many times the role was assumed; for logs and tests. */
    public synchronized int assumeCount() {
        return assumeCount;
    }

    public RoleRef role() {
        return RoleRef.fromArn(useCase.roleArn());
    }

    /** The name has been validated by its type; this is the only place an AssumeRole request is built. */
    AwsSessionCredentials assume(SessionName sessionName) {
        AssumeRoleRequest.Builder request = AssumeRoleRequest.builder()
                .roleArn(useCase.roleArn())
                .roleSessionName(sessionName.value())
                .durationSeconds((int) sessionDuration.toSeconds());
        if (useCase.externalId() != null && !useCase.externalId().isBlank()) {
            request.externalId(useCase.externalId());
        }
        if (isValidSourceIdentity(userId)) {
            request.sourceIdentity(userId);
        }
        Credentials c;
        try {
            c = sts.assumeRole(request.build()).credentials();
        } catch (SdkException e) {
            AwsFailures.Kind kind = AwsFailures.rethrowTransient(e, "sts:AssumeRole");
            throw switch (kind) {
                case DENIED, NOT_FOUND -> JobFailure.cannotAssume(role());
                case INVALID -> JobFailure.invalidRequest("AWS refused the role session parameters for role "
                        + role().describe() + " (session name " + sessionName.value()
                        + "). Check the use case's role ARN and external id in the registry.");
                default -> e;
            };
        }
        assumeCount++;
        return AwsSessionCredentials.builder()
                .accessKeyId(c.accessKeyId())
                .secretAccessKey(c.secretAccessKey())
                .sessionToken(c.sessionToken())
                .expirationTime(c.expiration())
                .build();
    }

    /**
     * AWS: 2–64 characters of [\w+=,.@-], not starting with "aws:" (which the pattern already excludes).
     *
     * @see <a href="https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html">AssumeRole: SourceIdentity</a>
     */
    static boolean isValidSourceIdentity(String userId) {
        return userId != null && SOURCE_IDENTITY.matcher(userId).matches();
    }

    private boolean expiresSoon(AwsSessionCredentials credentials) {
        Instant expiry = credentials.expirationTime().orElse(null);
        return expiry != null && !clock.instant().plus(REFRESH_BEFORE_EXPIRY).isBefore(expiry);
    }
}
