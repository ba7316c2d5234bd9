package com.mlplatform.logexport.emulator.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The Lambda {@link Context} of one invocation outside Lambda (local stack and tests). The part that matters is
 * {@link #getRemainingTimeInMillis()}: it counts down from the function's timeout exactly as on Lambda, so the
 * worker's checkpoint-and-continue logic runs locally as it does in the cloud.
 */
public final class CountdownContext implements Context {

    private final String functionName;
    private final String requestId;
    private final Instant deadline;
    private final Clock clock;

    public CountdownContext(String functionName, Duration timeout, Clock clock) {
        this.functionName = functionName;
        this.requestId = UUID.randomUUID().toString();
        this.clock = clock;
        this.deadline = clock.instant().plus(timeout);
    }

    /** A context on the system clock: {@code budgetMillis} of remaining time, counting down from now. */
    public static CountdownContext ofMillis(String functionName, long budgetMillis) {
        return new CountdownContext(functionName, Duration.ofMillis(budgetMillis), Clock.systemUTC());
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/[$LATEST]" + requestId.substring(0, 8);
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:123456789012:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        long left = Duration.between(clock.instant(), deadline).toMillis();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.println(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.println(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
