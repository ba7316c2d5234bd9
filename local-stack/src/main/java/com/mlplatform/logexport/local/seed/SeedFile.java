package com.mlplatform.logexport.local.seed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.mlplatform.logexport.shared.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A scenario for the local stack: use cases (account, role, log group), their members, and the training jobs whose
 * log streams and events are put into each use case's account. {@code docs/local-stack.md} documents the format;
 * the demo data ({@code local-stack/demo-seed.json} on the class path) is a file of this kind.
 *
 * <p>Unknown fields are rejected (the shared mapper fails on them), so a typo in a hand-written seed is an error
 * that names the field rather than data that silently goes missing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeedFile(Integer version, String description, List<User> users, List<UseCaseSeed> usecases) {

    public static final int CURRENT_VERSION = 1;
    public static final String DEMO_RESOURCE = "/local-stack/demo-seed.json";

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern USECASE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    // SageMaker training job names: 1–63 characters, alphanumerics and hyphens.
    private static final Pattern TRAINING_JOB = Pattern.compile("[A-Za-z0-9](-*[A-Za-z0-9]){0,62}");

    public SeedFile {
        users = users == null ? List.of() : List.copyOf(users);
        usecases = usecases == null ? List.of() : List.copyOf(usecases);
    }

    /** A person who can pick themselves on the page; members need not be listed here, names are optional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record User(String id, String name) {
        public User {
            Objects.requireNonNull(id, "users[].id");
        }
    }

    /**
     * @param accountId  the use case's AWS account (12 digits), different from the platform's 123456789012
     * @param externalId the sts:ExternalId the read role's trust policy requires; optional
     * @param logGroup   defaults to {@code /aws/sagemaker/TrainingJobs}
     * @param region     defaults to us-east-1, the only region the local stack seeds
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UseCaseSeed(String id, String description, String accountId, String region, String externalId,
                              String logGroup, List<String> members, List<TrainingJob> trainingJobs) {
        public UseCaseSeed {
            members = members == null ? List.of() : List.copyOf(members);
            trainingJobs = trainingJobs == null ? List.of() : List.copyOf(trainingJobs);
        }
    }

    /** A training job; with no streams it has "no logs yet", as a job that is still starting. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrainingJob(String name, String description, List<Stream> streams) {
        public TrainingJob {
            streams = streams == null ? List.of() : List.copyOf(streams);
        }
    }

    /**
     * A log stream: either an explicit {@code name}, or a {@code host} (e.g. {@code algo-1}) plus {@code startedAt},
     * which gives SageMaker's {@code <job>/<host>-<epoch seconds>}. A host that restarted has two streams.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Stream(String name, String host, String startedAt, List<Event> events) {
        public Stream {
            events = events == null ? List.of() : List.copyOf(events);
        }
    }

    /** One log event; {@code at} is a {@link SeedTime}, {@code message} any text (multi-line, any unicode). */
    public record Event(String at, String message) {
    }

    public static SeedFile read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new SeedException("cannot read seed file " + file + ": " + e.getMessage());
        }
    }

    public static SeedFile demo() {
        try (InputStream in = SeedFile.class.getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new SeedException("demo seed " + DEMO_RESOURCE + " is missing from the class path");
            }
            return parse(in, "demo seed");
        } catch (IOException e) {
            throw new SeedException("cannot read demo seed: " + e.getMessage());
        }
    }

    public static SeedFile parse(InputStream in, String source) {
        SeedFile seed;
        try {
            seed = Json.MAPPER.readValue(in, SeedFile.class);
        } catch (JsonProcessingException e) {
            throw new SeedException(source + " is not a valid seed file: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new SeedException("cannot read " + source + ": " + e.getMessage());
        }
        List<String> problems = seed.problems();
        if (!problems.isEmpty()) {
            throw new SeedException(source + " has " + problems.size() + " problem(s):\n  - "
                    + String.join("\n  - ", problems));
        }
        return seed;
    }

    /** Pretty-printed, except that each event stays on one line: a seed of thousands of events stays readable. */
    public String toJson() {
        try {
            String pretty = Json.MAPPER.writer(new DefaultPrettyPrinter()
                    .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")))
                    .writeValueAsString(this);
            return ONE_LINE_EVENT.matcher(pretty).replaceAll("{ \"at\" : $1, \"message\" : $2 }");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Pattern ONE_LINE_EVENT = Pattern.compile(
            "\\{\\s*\"at\" : (\"(?:[^\"\\\\]|\\\\.)*\"),\\s*\"message\" : (\"(?:[^\"\\\\]|\\\\.)*\")\\s*\\}");

    /** Everything wrong with this seed, each in words that point at the entry. Empty when it can be loaded. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (version != null && version != CURRENT_VERSION) {
            problems.add("version " + version + " is not supported (this build reads version " + CURRENT_VERSION + ")");
        }
        if (usecases.isEmpty()) {
            problems.add("usecases: at least one use case is needed");
        }
        Set<String> ids = new HashSet<>();
        Map<String, String> externalIdByAccount = new LinkedHashMap<>();
        for (int i = 0; i < usecases.size(); i++) {
            UseCaseSeed u = usecases.get(i);
            String where = "usecases[" + i + "]" + (u.id() == null ? "" : " (" + u.id() + ")");
            if (u.id() == null || !USECASE_ID.matcher(u.id()).matches()) {
                problems.add(where + ": id must be 1-64 letters, digits, '.', '_' or '-'");
            } else if (!ids.add(u.id())) {
                problems.add(where + ": id is used twice");
            }
            if (u.accountId() == null || !ACCOUNT_ID.matcher(u.accountId()).matches()) {
                problems.add(where + ": accountId must be 12 digits");
            } else if (u.accountId().equals(SeedLoader.PLATFORM_ACCOUNT)) {
                problems.add(where + ": accountId " + u.accountId() + " is the platform's own account; a use case"
                        + " lives in an account of its own");
            } else {
                // One read role per account (its name is fixed), so use cases sharing an account share its trust.
                String previous = externalIdByAccount.putIfAbsent(u.accountId(), String.valueOf(u.externalId()));
                if (previous != null && !previous.equals(String.valueOf(u.externalId()))) {
                    problems.add(where + ": shares account " + u.accountId() + " with another use case but not its"
                            + " externalId; the account has one read role");
                }
            }
            if (u.region() != null && !u.region().equals(SeedLoader.REGION)) {
                problems.add(where + ": region " + u.region() + " is not supported locally; omit it or use "
                        + SeedLoader.REGION);
            }
            for (String m : u.members()) {
                if (m == null || m.isBlank()) {
                    problems.add(where + ": members must be non-empty user ids");
                }
            }
            Set<String> jobs = new HashSet<>();
            for (int j = 0; j < u.trainingJobs().size(); j++) {
                TrainingJob job = u.trainingJobs().get(j);
                String jw = where + ".trainingJobs[" + j + "]" + (job.name() == null ? "" : " (" + job.name() + ")");
                if (job.name() == null || !TRAINING_JOB.matcher(job.name()).matches()) {
                    problems.add(jw + ": name must be a SageMaker training job name (1-63 letters, digits, '-')");
                } else if (!jobs.add(job.name())) {
                    problems.add(jw + ": name is used twice in this use case");
                }
                for (int s = 0; s < job.streams().size(); s++) {
                    Stream st = job.streams().get(s);
                    String sw = jw + ".streams[" + s + "]";
                    if (st.name() == null && (st.host() == null || st.startedAt() == null)) {
                        problems.add(sw + ": give a name, or a host and startedAt");
                    }
                    if (st.name() != null && st.host() != null) {
                        problems.add(sw + ": give a name or a host, not both");
                    }
                    for (int e = 0; e < st.events().size(); e++) {
                        Event ev = st.events().get(e);
                        if (ev.message() == null || ev.message().isEmpty()) {
                            problems.add(sw + ".events[" + e + "]: message must not be empty");
                        }
                        if (ev.at() == null) {
                            problems.add(sw + ".events[" + e + "]: at is required");
                        }
                    }
                }
            }
        }
        for (int i = 0; i < users.size(); i++) {
            if (users.get(i).id().isBlank()) {
                problems.add("users[" + i + "]: id must not be blank");
            }
        }
        return problems;
    }

    /** A seed that cannot be loaded; the message says what to fix. */
    public static final class SeedException extends RuntimeException {
        public SeedException(String message) {
            super(message);
        }
    }
}
