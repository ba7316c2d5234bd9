package com.mlplatform.logexport.infra;

import static com.mlplatform.logexport.infra.Intrinsics.asList;
import static com.mlplatform.logexport.infra.Intrinsics.getAttArnOf;
import static com.mlplatform.logexport.infra.Intrinsics.references;
import static com.mlplatform.logexport.infra.Intrinsics.refOf;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.mlplatform.logexport.emulator.CloudFormationTemplate;
import com.mlplatform.logexport.shared.aws.AwsSettings;
import com.mlplatform.logexport.shared.events.EventBridgeCompletionEvents;
import com.mlplatform.logexport.worker.reconcile.ReconcilerConfig;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks {@code infra/template.yaml} and {@code infra/usecase-account-role.yaml} against what the code declares
 * ({@link FunctionContract}s): handler classes and their event types, environment variables, IAM actions and the
 * resources (and S3 key prefixes) they are granted on, the SQS event source (batch failures, 6x visibility rule, DLQ),
 * the use-case role, and the HTTP API's OpenAPI definition. Returns every violation as a sentence; none means the two agree.
 */
final class TemplateCrossCheck {

    static final String API_INVOKE_PRINCIPAL = "apigateway.amazonaws.com";
    /** The parameter that bounds which roles the worker may assume. */
    static final String ROLE_PATTERN_PARAMETER = "UseCaseRoleArnPattern";
    static final int VISIBILITY_FACTOR = 6;
    static final int MIN_MAX_RECEIVE_COUNT = 5;

    /** Lambda sets these itself; a template may not (AWS Lambda "Defined runtime environment variables"). */
    static final Set<String> LAMBDA_RESERVED_ENV_VARS = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION",
            "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");
    /** Only the local stack and tests set these; a deployed function must not (it would talk to an emulator). */
    static final Set<String> LOCAL_ONLY_ENV_VARS = Set.of(AwsSettings.ENV_ENDPOINT);

    /** Lambda writes the function's own logs with its role: granted on the function's log group, not code calls. */
    static final Set<String> LOGGING_ACTIONS = Set.of("logs:CreateLogStream", "logs:PutLogEvents");
    /** The SQS event source polls with the function's role (AWSLambdaSQSQueueExecutionRole's actions). */
    static final Set<String> SQS_POLLER_ACTIONS = Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
            "sqs:GetQueueAttributes");
    /**
     * S3 answers a GET or HEAD of a missing key with 404 only to a caller that may list the bucket, and with 403
     * otherwise. A function that reads keys it writes itself (the worker: HEAD of the export's key on redelivery,
     * GET of a paused export's parts) must tell "not there" from "not allowed", so it needs this, conditioned on the
     * prefixes it uses (S3 evaluates the missing key as the s3:prefix). The request API only presigns objects the
     * worker has finished, so it does not.
     *
     * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html">HeadObject, Permissions</a>
     */
    static final String MISSING_KEY_ACTION = "s3:ListBucket";
    /** An object resource: {@code !Sub "${Bucket.Arn}/<key pattern>"}. */
    private static final Pattern OBJECT_ARN = Pattern.compile("\\$\\{[A-Za-z0-9]+\\.Arn}/(.*)");

    /** Reading CloudWatch Logs: the platform account's roles must never have any of these. */
    static final Pattern LOGS_READ = Pattern.compile("logs:(Get|Describe|Filter|StartQuery|StartLiveTail|List|\\*).*");

    /** Which resource type an action of each service may be granted on. */
    private static final Map<String, String> SERVICE_RESOURCE_TYPES = Map.of(
            "dynamodb", "AWS::DynamoDB::Table",
            "sqs", "AWS::SQS::Queue",
            "s3", "AWS::S3::Bucket",
            "logs", "AWS::Logs::LogGroup");

    private static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs",
            "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");

    private final CloudFormationTemplate template;
    private final Path templateDir;
    private final CloudFormationTemplate usecaseRole;
    private final Map<String, FunctionContract> contracts = new LinkedHashMap<>();
    private final List<String> usecaseRoleActions;
    private final List<String> violations = new ArrayList<>();

    /**
     * @param templateDir        the directory relative paths in the template (CodeUri, AWS::Include) start from
     * @param usecaseRoleActions what the worker does with the assumed use-case role ({@code WorkerConfig})
     */
    TemplateCrossCheck(CloudFormationTemplate template, Path templateDir, CloudFormationTemplate usecaseRole,
                       List<FunctionContract> contracts, List<String> usecaseRoleActions) {
        this.template = template;
        this.templateDir = templateDir;
        this.usecaseRole = usecaseRole;
        contracts.forEach(c -> this.contracts.put(c.logicalId(), c));
        this.usecaseRoleActions = List.copyOf(usecaseRoleActions);
    }

    List<String> violations() {
        violations.clear();
        List<String> functions = template.resourcesOfType("AWS::Serverless::Function");
        contracts.keySet().stream().filter(id -> !functions.contains(id)).forEach(id ->
                violation(id + ": the code declares this function, but the template has no AWS::Serverless::Function "
                        + "of that logical id"));
        for (String id : functions) {
            FunctionContract contract = contracts.get(id);
            if (contract == null) {
                violation(id + ": no code contract (env vars, IAM actions) declares this function");
                continue;
            }
            checkFunction(id, contract);
        }
        checkHttpApis();
        checkUseCaseRole();
        checkLifecycleOutlastsExports();
        return List.copyOf(violations);
    }

    // ---------------------------------------------------------------- functions

    private void checkFunction(String id, FunctionContract contract) {
        Map<String, Object> props = template.properties(id);
        if (!"java21".equals(props.get("Runtime"))) {
            violation(id + ": Runtime must be java21, is " + props.get("Runtime"));
        }
        if (!List.of("arm64").equals(props.get("Architectures"))) {
            violation(id + ": Architectures must be [arm64], is " + props.get("Architectures"));
        }
        List<String> sqsEvents = sqsEvents(id);
        boolean apiTarget = isApiGatewayTarget(id);
        checkHandler(id, props, sqsEvents, apiTarget);
        checkEnvironment(id, props, contract);
        checkRole(id, props, contract, sqsEvents);
        for (String event : sqsEvents) {
            checkSqsEventSource(id, props, event);
        }
        // A handler that primes itself for SnapStart (beforeCheckpoint) only pays off on a published version. The
        // batch fan-out and its sweep do not: no user waits on their cold starts, so they run unpublished.
        if (primesItself(props)) {
            Object snapStart = props.get("SnapStart");
            if (!(snapStart instanceof Map<?, ?> s && "PublishedVersions".equals(s.get("ApplyOn")))) {
                violation(id + ": a function must have SnapStart ApplyOn: PublishedVersions");
            }
            if (props.get("AutoPublishAlias") == null) {
                violation(id + ": SnapStart only restores published versions; set AutoPublishAlias and invoke it");
            }
        }
    }

    /** Whether the function's handler registers a SnapStart priming hook (implements {@code org.crac.Resource}). */
    private boolean primesItself(Map<String, Object> props) {
        String handlerClass = String.valueOf(props.get("Handler")).split("::")[0];
        try {
            return org.crac.Resource.class.isAssignableFrom(
                    Class.forName(handlerClass, false, getClass().getClassLoader()));
        } catch (ClassNotFoundException e) {
            return false; // checkHandler reports it
        }
    }

    private void checkHandler(String id, Map<String, Object> props, List<String> sqsEvents, boolean apiTarget) {
        String handler = String.valueOf(props.get("Handler"));
        String[] parts = handler.split("::");
        if (parts.length != 2 || !"handleRequest".equals(parts[1])) {
            violation(id + ": Handler must be <class>::handleRequest, is " + handler);
            return;
        }
        Class<?> type;
        try {
            type = Class.forName(parts[0], false, getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            violation(id + ": handler class " + parts[0] + " does not exist");
            return;
        }
        Optional<Type[]> io = requestHandlerTypes(type);
        if (io.isEmpty()) {
            violation(id + ": " + type.getName() + " does not implement RequestHandler<I, O> with concrete types");
            return;
        }
        Type input = io.get()[0];
        Type output = io.get()[1];
        if (!sqsEvents.isEmpty() && !SQSEvent.class.equals(input)) {
            violation(id + ": triggered by SQS, so " + type.getName() + " must handle SQSEvent, handles " + input);
        }
        if (apiTarget && (!APIGatewayV2HTTPEvent.class.equals(input) || !APIGatewayV2HTTPResponse.class.equals(output))) {
            violation(id + ": invoked by the HTTP API (payload 2.0), so " + type.getName()
                    + " must be RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, is <" + input + ", "
                    + output + ">");
        }
        boolean scheduled = !eventsOfType(id, "Schedule").isEmpty();
        if (scheduled && !ScheduledEvent.class.equals(input)) {
            violation(id + ": run by an EventBridge schedule, so " + type.getName() + " must handle ScheduledEvent, "
                    + "handles " + input);
        }
        if (sqsEvents.isEmpty() && !apiTarget && !scheduled) {
            violation(id + ": nothing in the template invokes this function (no SQS event, no API Gateway permission,"
                    + " no schedule)");
        }
        for (String event : sqsEvents) {
            boolean reports = asList(sqsEventProperties(id, event).get("FunctionResponseTypes"))
                    .contains("ReportBatchItemFailures");
            if (SQSBatchResponse.class.equals(output) && !reports) {
                violation(id + ": " + type.getName() + " returns SQSBatchResponse, but SQS event " + event
                        + " lacks FunctionResponseTypes: [ReportBatchItemFailures] (one failed message would "
                        + "retry the whole batch)");
            }
            if (reports && !SQSBatchResponse.class.equals(output)) {
                violation(id + ": SQS event " + event + " reports batch item failures, but " + type.getName()
                        + " does not return SQSBatchResponse");
            }
        }
    }

    /** The I and O of {@code RequestHandler<I, O>} as implemented by {@code type} or a superclass. */
    static Optional<Type[]> requestHandlerTypes(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && RequestHandler.class.equals(p.getRawType())) {
                    return Optional.of(p.getActualTypeArguments());
                }
            }
        }
        return Optional.empty();
    }

    private void checkEnvironment(String id, Map<String, Object> props, FunctionContract contract) {
        Map<String, Object> variables = environment(props);
        Set<String> required = new TreeSet<>(contract.envVars());
        required.removeAll(LAMBDA_RESERVED_ENV_VARS);
        required.removeAll(LOCAL_ONLY_ENV_VARS);
        for (String name : required) {
            if (!variables.containsKey(name)) {
                violation(id + ": environment variable " + name + " is read by the code (" + contract.declaredBy()
                        + ") but not set by the template");
            }
        }
        for (String name : variables.keySet()) {
            if (LAMBDA_RESERVED_ENV_VARS.contains(name)) {
                violation(id + ": environment variable " + name + " is reserved by Lambda and may not be set");
            } else if (LOCAL_ONLY_ENV_VARS.contains(name)) {
                violation(id + ": environment variable " + name + " is for the local emulator only");
            } else if (!contract.envVars().contains(name)) {
                violation(id + ": environment variable " + name + " is set but the code (" + contract.declaredBy()
                        + ") never reads it");
            }
        }
    }

    // ---------------------------------------------------------------- IAM

    private record Grant(String action, Object resource, Object condition) {
    }

    @SuppressWarnings("unchecked")
    private void checkRole(String id, Map<String, Object> props, FunctionContract contract, List<String> sqsEvents) {
        if (props.containsKey("Policies")) {
            violation(id + ": use an explicit AWS::IAM::Role; SAM's Policies add managed policies beyond the code's needs");
        }
        Optional<String> roleId = getAttArnOf(props.get("Role"));
        if (roleId.isEmpty() || !template.resources().containsKey(roleId.get())
                || !"AWS::IAM::Role".equals(template.resources().get(roleId.get()).get("Type"))) {
            violation(id + ": Role must be !GetAtt <an AWS::IAM::Role of this template>.Arn");
            return;
        }
        Map<String, Object> role = template.properties(roleId.get());
        String where = id + " (role " + roleId.get() + ")";
        if (role.containsKey("ManagedPolicyArns")) {
            violation(where + ": managed policies grant more than the code calls; use inline statements only");
        }
        checkLambdaTrust(where, role);

        List<Grant> grants = new ArrayList<>();
        for (var policy : (List<Map<String, Object>>) role.getOrDefault("Policies", List.of())) {
            var document = (Map<String, Object>) policy.get("PolicyDocument");
            for (var statement : (List<Map<String, Object>>) document.getOrDefault("Statement", List.of())) {
                if (statement.containsKey("NotAction") || statement.containsKey("NotResource")) {
                    violation(where + ": NotAction/NotResource grant open-ended permissions");
                }
                if (!"Allow".equals(statement.get("Effect"))) {
                    continue;
                }
                for (Object action : asList(statement.get("Action"))) {
                    for (Object resource : asList(statement.get("Resource"))) {
                        grants.add(new Grant(String.valueOf(action), resource, statement.get("Condition")));
                    }
                }
            }
        }

        Set<String> granted = new TreeSet<>();
        grants.forEach(g -> granted.add(g.action()));
        Set<String> runtime = new TreeSet<>(LOGGING_ACTIONS);
        if (!sqsEvents.isEmpty()) {
            runtime.addAll(SQS_POLLER_ACTIONS);
        }
        for (String action : contract.iamActions()) {
            if (!granted.contains(action)) {
                violation(where + ": " + action + " is called by the code (" + contract.declaredBy()
                        + ") but not granted");
            }
        }
        for (String action : runtime) {
            if (!granted.contains(action)) {
                violation(where + ": " + action + " is needed by the Lambda runtime but not granted");
            }
        }
        boolean readsKeysItWrites = contract.iamActions().containsAll(List.of("s3:GetObject", "s3:PutObject"));
        if (readsKeysItWrites && !granted.contains(MISSING_KEY_ACTION)) {
            violation(where + ": " + MISSING_KEY_ACTION + " is not granted, so S3 answers 403 instead of 404 when a "
                    + "key the code reads back is missing");
        }
        for (String action : granted) {
            if (action.contains("*")) {
                violation(where + ": wildcard action " + action + " grants more than the code calls");
            } else if (!contract.iamActions().contains(action) && !runtime.contains(action)
                    && !(readsKeysItWrites && action.equals(MISSING_KEY_ACTION))) {
                violation(where + ": " + action + " is granted but the code (" + contract.declaredBy()
                        + ") never calls it");
            }
            if (LOGS_READ.matcher(action).matches()) {
                violation(where + ": " + action + " reads CloudWatch Logs; the platform account must not (training "
                        + "logs are read only with the use case's assumed role)");
            }
        }
        checkGrantedResources(id, where, props, grants, sqsEvents, contract);
        checkS3Keys(where, grants, contract);
    }

    /**
     * S3 grants cover the key prefixes the code uses and no others: object actions on {@code ${Bucket.Arn}/<p>*},
     * s3:ListBucket on the bucket itself with an s3:prefix condition on those same prefixes.
     */
    private void checkS3Keys(String where, List<Grant> grants, FunctionContract contract) {
        Set<String> allowed = new TreeSet<>();
        contract.s3KeyPrefixes().forEach(p -> allowed.add(p + "*"));
        Set<String> covered = new TreeSet<>();
        for (Grant g : grants) {
            if (!g.action().startsWith("s3:")) {
                continue;
            }
            Optional<String> keys = objectKeys(g.resource());
            if (g.action().equals(MISSING_KEY_ACTION)) {
                if (keys.isPresent()) {
                    violation(where + ": " + g.action() + " is granted on keys " + keys.get() + "; it applies to "
                            + "the bucket itself (!GetAtt <bucket>.Arn)");
                    continue;
                }
                Set<String> listed = new TreeSet<>();
                if (g.condition() instanceof Map<?, ?> c && c.get("StringLike") instanceof Map<?, ?> like) {
                    asList(like.get("s3:prefix")).forEach(p -> listed.add(String.valueOf(p)));
                }
                if (listed.isEmpty()) {
                    violation(where + ": " + g.action() + " lets the function list every key of the bucket; "
                            + "condition it with StringLike s3:prefix " + allowed);
                } else if (!listed.equals(allowed)) {
                    violation(where + ": " + g.action() + " is conditioned on s3:prefix " + listed + ", but the "
                            + "code (" + contract.declaredBy() + ") uses exactly " + allowed);
                }
            } else if (keys.isPresent()) {
                // A wider grant (exports*, *) still covers a prefix; it is reported as too wide, not as missing.
                String stem = keys.get().endsWith("*") ? keys.get().substring(0, keys.get().length() - 1) : keys.get();
                allowed.stream().filter(a -> a.startsWith(stem)).forEach(covered::add);
                if (!allowed.contains(keys.get())) {
                    violation(where + ": " + g.action() + " is granted on keys " + keys.get() + ", but the code ("
                            + contract.declaredBy() + ") uses only " + allowed);
                }
            }
        }
        boolean objectActions = grants.stream().anyMatch(g -> g.action().startsWith("s3:")
                && !g.action().equals(MISSING_KEY_ACTION));
        for (String prefix : allowed) {
            if (objectActions && !covered.contains(prefix)) {
                violation(where + ": the code (" + contract.declaredBy() + ") uses keys " + prefix
                        + ", but no S3 object action is granted on them");
            }
        }
    }

    /** The key pattern of an object resource ({@code exports/*}), empty for anything else (a bucket ARN). */
    private static Optional<String> objectKeys(Object resource) {
        if (resource instanceof Map<?, ?> m && m.get("Fn::Sub") instanceof String sub) {
            var matcher = OBJECT_ARN.matcher(sub);
            if (matcher.matches()) {
                return Optional.of(matcher.group(1));
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private void checkLambdaTrust(String where, Map<String, Object> role) {
        var trust = (Map<String, Object>) role.get("AssumeRolePolicyDocument");
        var statements = trust == null ? List.<Map<String, Object>>of()
                : (List<Map<String, Object>>) trust.getOrDefault("Statement", List.of());
        boolean onlyLambda = !statements.isEmpty() && statements.stream().allMatch(s ->
                s.get("Principal") instanceof Map<?, ?> p && p.size() == 1
                        && List.of("lambda.amazonaws.com").equals(asList(p.get("Service"))));
        if (!onlyLambda) {
            violation(where + ": the execution role must trust lambda.amazonaws.com only");
        }
    }

    private void checkGrantedResources(String id, String where, Map<String, Object> props, List<Grant> grants,
                                       List<String> sqsEvents, FunctionContract contract) {
        Set<String> envResources = new TreeSet<>();
        environment(props).values().forEach(v -> refOf(v).filter(template.resources()::containsKey)
                .ifPresent(envResources::add));
        Set<String> eventQueues = new TreeSet<>();
        sqsEvents.forEach(e -> getAttArnOf(sqsEventProperties(id, e).get("Queue")).ifPresent(eventQueues::add));
        String logGroup = loggingGroup(props).orElse(null);
        if (logGroup == null) {
            violation(id + ": LoggingConfig.LogGroup must name this template's log group, so that logging is "
                    + "granted on that group only");
        }

        Set<String> grantedData = new TreeSet<>();
        for (Grant g : grants) {
            String action = g.action();
            String service = action.contains(":") ? action.substring(0, action.indexOf(':')) : action;
            Set<String> refs = references(g.resource());
            if ("*".equals(g.resource()) || refs.isEmpty()) {
                violation(where + ": " + action + " is granted on " + g.resource() + ", not on this stack's resources");
                continue;
            }
            if ("sts".equals(service)) {
                if (!Set.of(ROLE_PATTERN_PARAMETER).equals(refs) || refOf(g.resource()).isEmpty()) {
                    violation(where + ": " + action + " may only be granted on !Ref " + ROLE_PATTERN_PARAMETER
                            + ", is on " + g.resource());
                }
                continue;
            }
            if ("events".equals(service)) {
                checkEventBusGrant(where, action, g.resource(), props);
                continue;
            }
            String expectedType = SERVICE_RESOURCE_TYPES.get(service);
            for (String ref : refs) {
                if (PSEUDO_PARAMETERS.contains(ref)) {
                    continue;
                }
                var resource = template.resources().get(ref);
                String type = resource == null ? "a parameter" : String.valueOf(resource.get("Type"));
                if (expectedType == null || !expectedType.equals(type)) {
                    violation(where + ": " + action + " is granted on " + ref + " (" + type + "), expected "
                            + (expectedType == null ? "no " + service + " grant at all" : "a " + expectedType));
                    continue;
                }
                if (LOGGING_ACTIONS.contains(action)) {
                    if (!ref.equals(logGroup)) {
                        violation(where + ": " + action + " is granted on " + ref + ", not the function's log group");
                    }
                } else if (SQS_POLLER_ACTIONS.contains(action) && !contract.iamActions().contains(action)) {
                    if (!eventQueues.contains(ref)) {
                        violation(where + ": " + action + " is granted on " + ref + ", not the function's event "
                                + "source queue");
                    }
                } else {
                    grantedData.add(ref);
                    if (!envResources.contains(ref)) {
                        violation(where + ": " + action + " is granted on " + ref + ", which the function is not "
                                + "told about (no environment variable refers to it)");
                    }
                }
            }
        }
        for (String resource : envResources) {
            if (SERVICE_RESOURCE_TYPES.containsValue(String.valueOf(template.resources().get(resource).get("Type")))
                    && !grantedData.contains(resource)) {
                violation(where + ": the function is given " + resource + " in its environment but no action on it");
            }
        }
    }

    /**
     * Completion events go to a bus named by a parameter (the account's default bus is no resource of the
     * template), so an events grant must be on exactly the event-bus ARN of the parameter the function's
     * {@code COMPLETION_EVENT_BUS} is set from: the grant and the bus the code puts on cannot drift apart.
     */
    private void checkEventBusGrant(String where, String action, Object resource, Map<String, Object> props) {
        Optional<String> bus = refOf(environment(props).get(EventBridgeCompletionEvents.ENV_EVENT_BUS))
                .filter(p -> !template.resources().containsKey(p));
        String expected = bus.map(p -> "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${"
                + p + "}").orElse(null);
        boolean onThatBus = expected != null && resource instanceof Map<?, ?> sub && sub.size() == 1
                && expected.equals(sub.get("Fn::Sub"));
        if (!onThatBus) {
            violation(where + ": " + action + " may only be granted on the event bus named by the parameter "
                    + EventBridgeCompletionEvents.ENV_EVENT_BUS + " refers to ("
                    + (expected == null ? "the variable is not set from a parameter" : expected) + "), is on "
                    + resource);
        }
    }

    @SuppressWarnings("unchecked")
    private Optional<String> loggingGroup(Map<String, Object> props) {
        if (props.get("LoggingConfig") instanceof Map<?, ?> logging) {
            return refOf(logging.get("LogGroup")).filter(template.resources()::containsKey);
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- SQS

    private void checkSqsEventSource(String id, Map<String, Object> props, String event) {
        Map<String, Object> ev = sqsEventProperties(id, event);
        String where = id + " SQS event " + event;
        if (ev.get("BatchSize") == null) {
            violation(where + ": set BatchSize explicitly");
        }
        if (!(ev.get("ScalingConfig") instanceof Map<?, ?> scaling) || scaling.get("MaximumConcurrency") == null) {
            violation(where + ": set ScalingConfig.MaximumConcurrency");
        }
        if (!props.containsKey("ReservedConcurrentExecutions")) {
            violation(id + ": ReservedConcurrentExecutions must be settable (a parameter)");
        }
        Optional<String> queue = getAttArnOf(ev.get("Queue"));
        if (queue.isEmpty() || !template.resources().containsKey(queue.get())) {
            violation(where + ": Queue must be !GetAtt <a queue of this template>.Arn");
            return;
        }
        checkVisibility(id, props, ev, queue.get());
        checkDeadLetterQueue(where, queue.get());
        boolean continuesOnSameQueue = environment(props).values().stream()
                .anyMatch(v -> refOf(v).filter(queue.get()::equals).isPresent());
        // Only the worker sends continuations; the batch fan-out sends to another queue, never to its own.
        if (CodeContracts.CONTINUES_ON_ITS_QUEUE.contains(id) && !continuesOnSameQueue) {
            violation(id + ": no environment variable refers to its event source queue " + queue.get()
                    + "; continuation messages of long exports must use the same queue");
        }
    }

    /** AWS: visibility timeout >= 6 x function timeout (+ batching window), for every timeout a deployer may pick. */
    private void checkVisibility(String id, Map<String, Object> props, Map<String, Object> ev, String queue) {
        Object timeout = props.get("Timeout");
        List<Object> candidates = new ArrayList<>();
        Optional<String> timeoutParam = refOf(timeout);
        if (timeoutParam.isPresent()) {
            Map<String, Object> param = parameter(timeoutParam.get());
            if (param.get("AllowedValues") instanceof List<?> allowed) {
                candidates.addAll(allowed);
            } else if (param.get("MaxValue") != null) {
                candidates.add(param.get("MaxValue"));
            } else {
                violation(id + ": Timeout parameter " + timeoutParam.get() + " needs AllowedValues or MaxValue, or "
                        + "the 6x visibility rule cannot be checked");
            }
        } else {
            candidates.add(timeout);
        }
        long window = ev.get("MaximumBatchingWindowInSeconds") == null ? 0
                : Long.parseLong(String.valueOf(ev.get("MaximumBatchingWindowInSeconds")));
        for (Object value : candidates) {
            CloudFormationTemplate t = timeoutParam.isPresent()
                    ? template.withParameterValues(Map.of(timeoutParam.get(), value)) : template;
            long functionTimeout = Long.parseLong(String.valueOf(value));
            Object visibility;
            try {
                visibility = t.resolve(t.properties(queue).get("VisibilityTimeout"), Map.of(), Map.of());
            } catch (IllegalArgumentException e) {
                violation(id + ": Timeout " + functionTimeout + " s has no queue visibility timeout: " + e.getMessage());
                continue;
            }
            long visibilitySeconds = visibility == null ? 30 : Long.parseLong(String.valueOf(visibility));
            if (visibilitySeconds < VISIBILITY_FACTOR * functionTimeout + window) {
                violation(id + ": with Timeout " + functionTimeout + " s the visibility timeout of " + queue + " is "
                        + visibilitySeconds + " s, below " + VISIBILITY_FACTOR + "x the function timeout"
                        + (window > 0 ? " plus the batching window" : ""));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void checkDeadLetterQueue(String where, String queue) {
        var redrive = (Map<String, Object>) template.properties(queue).get("RedrivePolicy");
        if (redrive == null) {
            violation(where + ": " + queue + " has no RedrivePolicy; a poison message would be retried forever");
            return;
        }
        Optional<String> dlq = getAttArnOf(redrive.get("deadLetterTargetArn"));
        if (dlq.isEmpty() || !template.resources().containsKey(dlq.get())) {
            violation(where + ": the dead-letter target must be a queue of this template");
        }
        Object count = redrive.get("maxReceiveCount");
        List<Object> lowest = new ArrayList<>();
        Optional<String> param = refOf(count);
        if (param.isPresent()) {
            Map<String, Object> p = parameter(param.get());
            lowest.add(p.get("Default"));
            lowest.add(p.get("MinValue"));
        } else {
            lowest.add(count);
        }
        for (Object value : lowest) {
            if (value == null || Long.parseLong(String.valueOf(value)) < MIN_MAX_RECEIVE_COUNT) {
                violation(where + ": maxReceiveCount of " + queue + " may be " + value + "; it must be at least "
                        + MIN_MAX_RECEIVE_COUNT + (param.isPresent() ? " (check the parameter's Default and MinValue)"
                        : ""));
            }
        }
    }

    // ---------------------------------------------------------------- HTTP API and its OpenAPI document

    @SuppressWarnings("unchecked")
    private void checkHttpApis() {
        for (String api : template.resourcesOfType("AWS::Serverless::HttpApi")) {
            Map<String, Object> props = template.properties(api);
            if (props.get("AccessLogSettings") == null) {
                violation(api + ": access logging is off (AccessLogSettings)");
            }
            if (props.containsKey("DefinitionUri") || !(props.get("DefinitionBody") instanceof Map<?, ?> body)
                    || !(body.get("Fn::Transform") instanceof Map<?, ?> transform)
                    || !"AWS::Include".equals(transform.get("Name"))) {
                violation(api + ": DefinitionBody must include the request-api's OpenAPI document (AWS::Include)");
                continue;
            }
            var location = String.valueOf(((Map<String, Object>) transform.get("Parameters")).get("Location"));
            Path document = templateDir.resolve(location).normalize();
            if (!Files.isRegularFile(document)) {
                violation(api + ": the included OpenAPI document " + location + " does not exist (" + document + ")");
                continue;
            }
            checkOpenApi(api, CloudFormationTemplate.load(document).root());
        }
    }

    @SuppressWarnings("unchecked")
    private void checkOpenApi(String api, Map<String, Object> doc) {
        String where = api + " OpenAPI";
        Set<String> known = new LinkedHashSet<>(template.resources().keySet());
        known.addAll(((Map<String, Object>) template.root().getOrDefault("Parameters", Map.of())).keySet());
        known.addAll(PSEUDO_PARAMETERS);
        for (String ref : references(doc)) {
            if (!known.contains(ref)) {
                violation(where + ": refers to " + ref + ", which is no parameter or resource of the template");
            }
        }

        Set<String> targets = new TreeSet<>();
        var paths = (Map<String, Map<String, Object>>) doc.getOrDefault("paths", Map.of());
        paths.forEach((path, item) -> item.forEach((method, operation) -> {
            if (!(operation instanceof Map<?, ?> op) || method.equals("parameters") || method.equals("description")
                    || method.equals("summary") || method.equals("servers")) {
                return;
            }
            if (!(op.get("x-amazon-apigateway-integration") instanceof Map<?, ?> integration)) {
                violation(where + ": " + method + " " + path + " has no x-amazon-apigateway-integration");
                return;
            }
            if (!"aws_proxy".equals(integration.get("type")) || !"2.0".equals(String.valueOf(
                    integration.get("payloadFormatVersion")))) {
                violation(where + ": " + method + " " + path + " must be an aws_proxy integration, payload 2.0");
            }
            var target = aliasTarget(integration.get("uri"));
            if (target.isEmpty()) {
                violation(where + ": " + method + " " + path + " must invoke ${<Function>.Arn}:<alias>");
                return;
            }
            targets.add(target.get()[0]);
            var function = template.resources().get(target.get()[0]);
            if (function == null || !"AWS::Serverless::Function".equals(function.get("Type"))
                    || !target.get()[1].equals(template.properties(target.get()[0]).get("AutoPublishAlias"))) {
                violation(where + ": " + method + " " + path + " invokes " + target.get()[0] + ":" + target.get()[1]
                        + ", which is not a function of the template with that AutoPublishAlias");
            }
        }));
        if (targets.isEmpty()) {
            violation(where + ": no operation invokes a function");
        }
        for (String function : targets) {
            if (!hasAliasInvokePermission(function, api)) {
                violation(api + ": no AWS::Lambda::Permission lets " + API_INVOKE_PRINCIPAL + " invoke "
                        + function + ".Alias from this API");
            }
        }
        checkJwtAuthorizer(where, doc);
        if (doc.containsKey("x-amazon-apigateway-cors")) {
            violation(where + ": x-amazon-apigateway-cors would make API Gateway discard the request-api's own CORS "
                    + "headers (it answers CORS itself, errors included)");
        }
    }

    /** {@code [function, alias]} of an integration uri {@code Fn::Sub ...${F.Arn}:alias/invocations}. */
    private static Optional<String[]> aliasTarget(Object uri) {
        if (uri instanceof Map<?, ?> m && m.get("Fn::Sub") instanceof String sub) {
            var matcher = Pattern.compile("\\$\\{([A-Za-z0-9]+)\\.Arn}:([A-Za-z0-9_-]+)/invocations$").matcher(sub);
            if (matcher.find()) {
                return Optional.of(new String[] {matcher.group(1), matcher.group(2)});
            }
        }
        return Optional.empty();
    }

    private boolean hasAliasInvokePermission(String function, String api) {
        for (String id : template.resourcesOfType("AWS::Lambda::Permission")) {
            Map<String, Object> p = template.properties(id);
            if (API_INVOKE_PRINCIPAL.equals(p.get("Principal")) && "lambda:InvokeFunction".equals(p.get("Action"))
                    && refOf(p.get("FunctionName")).filter((function + ".Alias")::equals).isPresent()
                    && references(p.get("SourceArn")).contains(api)) {
                return true;
            }
        }
        return false;
    }

    private boolean isApiGatewayTarget(String function) {
        for (String id : template.resourcesOfType("AWS::Lambda::Permission")) {
            Map<String, Object> p = template.properties(id);
            if (API_INVOKE_PRINCIPAL.equals(p.get("Principal")) && references(p.get("FunctionName")).contains(function)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private void checkJwtAuthorizer(String where, Map<String, Object> doc) {
        var schemes = (Map<String, Map<String, Object>>) ((Map<String, Object>) doc.getOrDefault("components",
                Map.of())).getOrDefault("securitySchemes", Map.of());
        String jwtScheme = null;
        for (var e : schemes.entrySet()) {
            if (e.getValue().get("x-amazon-apigateway-authorizer") instanceof Map<?, ?> a && "jwt".equals(a.get("type"))) {
                jwtScheme = e.getKey();
                var config = (Map<String, Object>) a.get("jwtConfiguration");
                if (config == null || !refOf(config.get("issuer")).filter("JwtIssuer"::equals).isPresent()
                        || !refOf(config.get("audience")).filter("JwtAudience"::equals).isPresent()) {
                    violation(where + ": the JWT authorizer must take issuer and audience from the JwtIssuer and "
                            + "JwtAudience parameters");
                }
                if (!"$request.header.Authorization".equals(a.get("identitySource"))) {
                    violation(where + ": the JWT authorizer must read $request.header.Authorization");
                }
            }
        }
        if (jwtScheme == null) {
            violation(where + ": no security scheme has an x-amazon-apigateway-authorizer of type jwt");
            return;
        }
        String scheme = jwtScheme;
        var security = asList(doc.get("security"));
        if (security.stream().noneMatch(s -> s instanceof Map<?, ?> m && m.containsKey(scheme))) {
            violation(where + ": the API-wide security requirement must use the JWT scheme " + scheme);
        }
    }

    // ---------------------------------------------------------------- use-case account role

    @SuppressWarnings("unchecked")
    private void checkUseCaseRole() {
        List<String> roles = usecaseRole.resourcesOfType("AWS::IAM::Role");
        if (roles.size() != 1) {
            violation("usecase-account-role.yaml: must define exactly one AWS::IAM::Role, defines " + roles.size());
            return;
        }
        String id = roles.get(0);
        String where = "usecase-account-role.yaml " + id;
        Map<String, Object> role = usecaseRole.properties(id);
        if (role.containsKey("ManagedPolicyArns")) {
            violation(where + ": managed policies grant more than the worker calls");
        }

        Set<String> granted = new TreeSet<>();
        for (var policy : (List<Map<String, Object>>) role.getOrDefault("Policies", List.of())) {
            var document = (Map<String, Object>) policy.get("PolicyDocument");
            for (var statement : (List<Map<String, Object>>) document.getOrDefault("Statement", List.of())) {
                if (!"Allow".equals(statement.get("Effect"))) {
                    continue;
                }
                asList(statement.get("Action")).forEach(a -> granted.add(String.valueOf(a)));
                for (Object resource : asList(statement.get("Resource"))) {
                    String text = resource instanceof Map<?, ?> m && m.get("Fn::Sub") != null
                            ? String.valueOf(m.get("Fn::Sub")) : String.valueOf(resource);
                    if (!text.contains(":log-group:${TrainingLogGroupName}")) {
                        violation(where + ": logs access must be scoped to the training-job log group, is on "
                                + resource);
                    }
                }
            }
        }
        Set<String> wanted = new TreeSet<>(usecaseRoleActions);
        if (!granted.equals(wanted)) {
            violation(where + ": grants " + granted + ", but the worker calls exactly " + wanted);
        }

        var trust = (Map<String, Object>) role.get("AssumeRolePolicyDocument");
        var statements = (List<Map<String, Object>>) trust.getOrDefault("Statement", List.of());
        Set<String> trustActions = new TreeSet<>();
        for (var s : statements) {
            asList(s.get("Action")).forEach(a -> trustActions.add(String.valueOf(a)));
            boolean onlyWorker = s.get("Principal") instanceof Map<?, ?> p && p.size() == 1
                    && asList(p.get("AWS")).size() == 1
                    && refOf(asList(p.get("AWS")).get(0)).filter("PlatformWorkerRoleArn"::equals).isPresent();
            if (!onlyWorker) {
                violation(where + ": must trust only the PlatformWorkerRoleArn parameter, trusts " + s.get("Principal"));
            }
            var condition = (Map<String, Object>) s.get("Condition");
            var equals = condition == null ? null : (Map<String, Object>) condition.get("StringEquals");
            if (equals == null || !refOf(equals.get("sts:ExternalId")).filter("ExternalId"::equals).isPresent()) {
                violation(where + ": must require sts:ExternalId equal to the ExternalId parameter");
            }
        }
        boolean workerSetsSourceIdentity = contracts.values().stream()
                .anyMatch(c -> c.iamActions().contains("sts:SetSourceIdentity"));
        Set<String> expectedTrust = workerSetsSourceIdentity
                ? Set.of("sts:AssumeRole", "sts:SetSourceIdentity") : Set.of("sts:AssumeRole");
        if (!trustActions.equals(expectedTrust)) {
            violation(where + ": trust allows " + trustActions + ", expected " + new TreeSet<>(expectedTrust));
        }
        var outputs = (Map<String, Map<String, Object>>) usecaseRole.root().getOrDefault("Outputs", Map.of());
        boolean outputsArn = outputs.values().stream()
                .anyMatch(o -> getAttArnOf(o.get("Value")).filter(id::equals).isPresent());
        if (!outputsArn) {
            violation(where + ": the template must output the role ARN (it goes into the use-case registry)");
        }
        checkRoleNameMatchesPattern(where);
    }

    /** The role a use case creates by default must be one the worker may assume by default. */
    private void checkRoleNameMatchesPattern(String where) {
        Object pattern = template.parameterDefault(ROLE_PATTERN_PARAMETER);
        Object roleName = usecaseRole.parameterDefault("RoleName");
        if (pattern == null || roleName == null) {
            violation(where + ": " + ROLE_PATTERN_PARAMETER + " and RoleName need defaults that match each other");
            return;
        }
        String regex = Pattern.quote(String.valueOf(pattern)).replace("*", "\\E.*\\Q");
        String exampleArn = "arn:aws:iam::111111111111:role/" + roleName;
        if (!exampleArn.matches(regex)) {
            violation(where + ": the default role " + exampleArn + " does not match the platform's default "
                    + ROLE_PATTERN_PARAMETER + " " + pattern);
        }
    }

    // ---------------------------------------------------------------- bucket lifecycle vs the reconciler

    /**
     * The bucket's AbortIncompleteMultipartUpload rule must outlast the longest life of an export (the reconciler's
     * maximum age, as the template sets it and as the code defaults it), or it could abort a live export's upload.
     */
    @SuppressWarnings("unchecked")
    private void checkLifecycleOutlastsExports() {
        List<Long> maxAges = new ArrayList<>(List.of(ReconcilerConfig.DEFAULT_MAX_EXPORT_AGE.toSeconds()));
        for (String function : template.resourcesOfType("AWS::Serverless::Function")) {
            Object age = environment(template.properties(function)).get(ReconcilerConfig.ENV_MAX_EXPORT_AGE_SECONDS);
            if (age != null) {
                maxAges.add(Long.parseLong(String.valueOf(age)));
            }
        }
        for (String bucket : template.resourcesOfType("AWS::S3::Bucket")) {
            var lifecycle = (Map<String, Object>) template.properties(bucket).get("LifecycleConfiguration");
            for (Object r : lifecycle == null ? List.of() : asList(lifecycle.get("Rules"))) {
                if (r instanceof Map<?, ?> rule && rule.get("AbortIncompleteMultipartUpload") instanceof Map<?, ?> a) {
                    long seconds = Long.parseLong(String.valueOf(a.get("DaysAfterInitiation"))) * 86_400;
                    long longest = maxAges.stream().mapToLong(Long::longValue).max().orElseThrow();
                    if (seconds <= longest) {
                        violation(bucket + ": AbortIncompleteMultipartUpload after " + seconds + " s would abort the "
                                + "upload of an export still allowed to run (" + ReconcilerConfig
                                .ENV_MAX_EXPORT_AGE_SECONDS + " up to " + longest + " s)");
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- template access

    @SuppressWarnings("unchecked")
    private Map<String, Object> environment(Map<String, Object> props) {
        var env = (Map<String, Object>) props.get("Environment");
        return env == null ? Map.of() : (Map<String, Object>) env.getOrDefault("Variables", Map.of());
    }

    private List<String> sqsEvents(String function) {
        return eventsOfType(function, "SQS");
    }

    @SuppressWarnings("unchecked")
    private List<String> eventsOfType(String function, String type) {
        var events = (Map<String, Map<String, Object>>) template.properties(function).getOrDefault("Events", Map.of());
        List<String> names = new ArrayList<>();
        events.forEach((name, e) -> {
            if (type.equals(e.get("Type"))) {
                names.add(name);
            }
        });
        return names;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> sqsEventProperties(String function, String event) {
        var events = (Map<String, Map<String, Object>>) template.properties(function).get("Events");
        return (Map<String, Object>) events.get(event).getOrDefault("Properties", Map.of());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parameter(String name) {
        var params = (Map<String, Map<String, Object>>) template.root().getOrDefault("Parameters", Map.of());
        return params.getOrDefault(name, Map.of());
    }

    private void violation(String message) {
        violations.add(message);
    }
}
