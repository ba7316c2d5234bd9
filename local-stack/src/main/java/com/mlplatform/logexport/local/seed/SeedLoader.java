package com.mlplatform.logexport.local.seed;

import com.mlplatform.logexport.emulator.Accounts;
import com.mlplatform.logexport.emulator.Emulator;
import com.mlplatform.logexport.emulator.UseCaseAccountSeeder;
import com.mlplatform.logexport.shared.aws.AwsClients;
import com.mlplatform.logexport.shared.config.PlatformResources;
import com.mlplatform.logexport.shared.usecase.UseCase;
import com.mlplatform.logexport.shared.usecase.UseCaseRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts a {@link SeedFile} into the emulator: per use case, the read role in its own account, its training logs
 * there, and its entry (account, role, members) in the platform's use-case registry. Acts in use-case accounts
 * directly, as onboarding and SageMaker would; the worker reaches them only through AssumeRole.
 */
public final class SeedLoader {

    public static final String PLATFORM_ACCOUNT = Accounts.PLATFORM;
    public static final String REGION = Emulator.REGION.id();

    /**
     * CloudWatch Logs refuses events older than 14 days or more than 2 hours ahead (and moto drops the old ones
     * silently), so a seed with such events would load "fine" and then export less than it says.
     *
     * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html">PutLogEvents</a>
     */
    static final Duration MAX_AGE = Duration.ofDays(14);
    static final Duration MAX_AHEAD = Duration.ofHours(2);

    private final Emulator emulator;
    private final UseCaseRegistry registry;

    /** Seeds use-case accounts inside {@code emulator} and registers them in the platform's use-case table. */
    public SeedLoader(Emulator emulator, AwsClients platformClients, PlatformResources resources) {
        this.emulator = emulator;
        this.registry = new UseCaseRegistry(platformClients.dynamo(), resources.usecasesTable());
    }

    /** Loads the seed with relative timestamps resolved against {@code now}; returns what the page shows. */
    public Scenario load(SeedFile seed, Instant now) {
        List<Scenario.UseCaseView> views = new ArrayList<>();
        Map<String, String> roleByAccount = new HashMap<>();
        for (SeedFile.UseCaseSeed u : seed.usecases()) {
            String externalId = externalId(u);
            String logGroup = u.logGroup() == null ? UseCase.DEFAULT_LOG_GROUP : u.logGroup();
            List<Scenario.JobView> jobs = new ArrayList<>();
            try (UseCaseAccountSeeder seeder = new UseCaseAccountSeeder(emulator, u.accountId())) {
                String roleArn = roleByAccount.computeIfAbsent(u.accountId(),
                        a -> seeder.createReadRole(externalId));
                seeder.createLogGroup(logGroup);
                for (SeedFile.TrainingJob job : u.trainingJobs()) {
                    jobs.add(loadJob(seeder, logGroup, job, now));
                }
                registry.put(new UseCase(u.id(), u.accountId(), roleArn, externalId, REGION, logGroup,
                        new java.util.HashSet<>(u.members())));
            }
            views.add(new Scenario.UseCaseView(u.id(), u.description(), u.accountId(), logGroup,
                    List.copyOf(u.members()), jobs));
        }
        return new Scenario(seed.description(), users(seed), views);
    }

    private static String externalId(SeedFile.UseCaseSeed u) {
        return u.externalId() != null ? u.externalId() : "local-" + u.accountId();
    }

    private Scenario.JobView loadJob(UseCaseAccountSeeder seeder, String logGroup, SeedFile.TrainingJob job,
                                     Instant now) {
        List<String> streamNames = new ArrayList<>();
        long events = 0;
        for (SeedFile.Stream s : job.streams()) {
            String where = job.name() + " stream " + (s.name() != null ? s.name() : s.host());
            Optional<Instant> start = Optional.ofNullable(s.startedAt())
                    .map(v -> checked(SeedTime.resolve(v, now, Optional.empty()), now, where + " startedAt"));
            String name = s.name() != null ? s.name()
                    : job.name() + "/" + s.host() + "-" + start.orElseThrow().getEpochSecond();
            List<UseCaseAccountSeeder.Event> resolved = new ArrayList<>(s.events().size());
            for (SeedFile.Event e : s.events()) {
                Instant at = checked(SeedTime.resolve(e.at(), now, start), now, where + " event \"" + e.at() + "\"");
                resolved.add(new UseCaseAccountSeeder.Event(at.toEpochMilli(), e.message()));
            }
            if (resolved.isEmpty()) {
                seeder.createLogStream(logGroup, name);
            } else {
                seeder.putEvents(logGroup, name, resolved);
            }
            streamNames.add(name);
            events += resolved.size();
        }
        return new Scenario.JobView(job.name(), job.description(), streamNames, events);
    }

    private static Instant checked(Instant at, Instant now, String where) {
        if (at.isBefore(now.minus(MAX_AGE))) {
            throw new SeedFile.SeedException(where + " resolves to " + at + ", older than 14 days: CloudWatch Logs"
                    + " (and the emulator) drop such events. Use a relative time such as \"-2h\".");
        }
        if (at.isAfter(now.plus(MAX_AHEAD))) {
            throw new SeedFile.SeedException(where + " resolves to " + at + ", more than 2 hours ahead: CloudWatch"
                    + " Logs refuses such events.");
        }
        return at;
    }

    /** Listed users first (with their names), then every member not listed, in seed order. */
    private static List<Scenario.UserView> users(SeedFile seed) {
        Map<String, Scenario.UserView> users = new LinkedHashMap<>();
        for (SeedFile.User u : seed.users()) {
            users.put(u.id(), new Scenario.UserView(u.id(), u.name() == null ? u.id() : u.name()));
        }
        for (SeedFile.UseCaseSeed u : seed.usecases()) {
            for (String m : u.members()) {
                users.putIfAbsent(m, new Scenario.UserView(m, m));
            }
        }
        return List.copyOf(users.values());
    }
}
