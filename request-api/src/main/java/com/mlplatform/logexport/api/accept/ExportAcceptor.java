package com.mlplatform.logexport.api.accept;

import com.mlplatform.logexport.api.access.Caller;
import com.mlplatform.logexport.shared.batch.Chunks;
import com.mlplatform.logexport.shared.error.ErrorCode;
import com.mlplatform.logexport.shared.events.Completions;
import com.mlplatform.logexport.shared.events.ExportFinished;
import com.mlplatform.logexport.shared.job.ExportIds;
import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportJobItem;
import com.mlplatform.logexport.shared.job.ExportJobRepository;
import com.mlplatform.logexport.shared.job.ExportOptions;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.job.JobError;
import com.mlplatform.logexport.shared.log.StructuredLog;
import com.mlplatform.logexport.shared.usecase.UseCase;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns validated requests into QUEUED jobs with their queue messages, one training or a thousand, along the same
 * path:
 * <ol>
 *   <li>claim each training's in-flight guard (conditional puts, 100 per TransactWriteItems call, in parallel):
 *       an export already in flight is handed back;</li>
 *   <li>check the caller's cap on active exports against the exports about to be created;</li>
 *   <li>write the new jobs with BatchWriteItem (retrying unprocessed items);</li>
 *   <li>send their messages with SendMessageBatch (retrying failed entries).</li>
 * </ol>
 * A job is written before its message, so the worker never gets a message without a job. A job whose message
 * could not be sent is marked FAILED ("start it again"), so no job stays QUEUED without a message. Either way the
 * guard is released and that training gets an error of its own.
 *
 * <p>Plain Java over ports: HTTP (the 429 of {@link AcceptOutcome.OverCap}) is the route's business.
 */
public final class ExportAcceptor {

    private static final StructuredLog LOG = new StructuredLog("request-api");

    /**
     * Where an accepted export goes: its job (read back and finished here), the in-flight guards, the caller's
     * active exports (for the cap), the batched job writes and the batched queue sends.
     */
    public record Ports(ExportJobRepository jobs, InflightGuards guards, ActiveExports active, JobBatchWriter writer,
                        MessageBatchSender sender) {
    }

    /** What is accepted: at most {@code maxActivePerUser} live exports per caller, live as {@code liveness} says. */
    public record Policy(int maxActivePerUser, Liveness liveness) {
    }

    private final ExportJobRepository jobs;
    private final InflightGuards guards;
    private final ActiveExports active;
    private final JobBatchWriter writer;
    private final MessageBatchSender sender;
    private final ExecutorService pool;
    private final int maxActivePerUser;
    private final Liveness liveness;
    private final Clock clock;
    private final Completions completions;

    /**
     * @param pool        runs the guard claims in parallel
     * @param completions exports accepted, and the FAILED of a job that could not be queued (written here)
     */
    public ExportAcceptor(Ports ports, Policy policy, ExecutorService pool, Clock clock, Completions completions) {
        this.jobs = ports.jobs();
        this.guards = ports.guards();
        this.active = ports.active();
        this.writer = ports.writer();
        this.sender = ports.sender();
        this.pool = pool;
        this.maxActivePerUser = policy.maxActivePerUser();
        this.liveness = policy.liveness();
        this.clock = clock;
        this.completions = completions;
    }

    /**
     * Accepts each distinct, already validated training id. Results come back in the order of {@code trainingIds}.
     *
     * @param batchId the batch the new jobs belong to, or null for a single export
     * @return {@link AcceptOutcome.OverCap} when the new exports would take the caller past the cap (nothing is
     *         created then)
     */
    public AcceptOutcome accept(Caller caller, UseCase useCase, List<String> trainingIds, ExportOptions options,
                                   String batchId) {
        Instant now = clock.instant();
        long t0 = System.nanoTime();
        List<Acceptance> claims = claimAll(caller, useCase, trainingIds, options, now);
        long t1 = System.nanoTime();

        Map<String, ExportJob> toCreate = new LinkedHashMap<>();
        for (Acceptance a : claims) {
            if (a instanceof Acceptance.Created c) {
                toCreate.put(c.exportId(), ExportJob.queued(c.exportId(), useCase.usecaseId(), c.trainingId(),
                        caller.userId(), options, batchId, now));
            }
        }
        if (toCreate.isEmpty()) {
            return new AcceptOutcome.Accepted(claims);
        }
        Optional<AcceptOutcome.OverCap> overCap = checkCap(caller, useCase, options, toCreate, now);
        if (overCap.isPresent()) {
            return overCap.get();
        }
        long t2 = System.nanoTime();

        Set<String> unwritten = writer.writeAll(List.copyOf(toCreate.values()));
        long t3 = System.nanoTime();
        List<String> written = toCreate.keySet().stream().filter(id -> !unwritten.contains(id)).toList();
        Set<String> unsent = written.isEmpty() ? Set.of() : sender.sendAll(written);
        long t4 = System.nanoTime();

        List<ExportJob> failed = new ArrayList<>();
        toCreate.forEach((id, job) -> {
            if (unwritten.contains(id) || unsent.contains(id)) {
                failed.add(job);
            }
        });
        if (!failed.isEmpty()) {
            Chunks.inParallel(pool, failed, job -> abandon(job, useCase, options, now));
        }
        LOG.info("exports_accepted", "usecaseId", useCase.usecaseId(), "batchId", batchId,
                "requested", trainingIds.size(), "created", toCreate.size() - failed.size(),
                "reused", claims.size() - toCreate.size(), "failed", failed.size(),
                "claimMs", ms(t1 - t0), "capMs", ms(t2 - t1), "writeMs", ms(t3 - t2), "sendMs", ms(t4 - t3));
        completions.metrics().accepted(batchId != null, toCreate.size() - failed.size());

        List<Acceptance> results = new ArrayList<>(claims.size());
        for (Acceptance a : claims) {
            if (a instanceof Acceptance.Created c && (unwritten.contains(c.exportId())
                    || unsent.contains(c.exportId()))) {
                results.add(new Acceptance.Rejected(c.trainingId(), ErrorCode.UNAVAILABLE,
                        "The export could not be queued right now. Please try again."));
            } else {
                results.add(a);
            }
        }
        return new AcceptOutcome.Accepted(results);
    }

    /** Claims every training's in-flight guard in bulk (TransactWriteItems, see {@link InflightGuards}). */
    private List<Acceptance> claimAll(Caller caller, UseCase useCase, List<String> trainingIds,
                                      ExportOptions options, Instant now) {
        List<InflightGuards.Request> requests = new ArrayList<>(trainingIds.size());
        for (String t : trainingIds) {
            requests.add(new InflightGuards.Request(
                    ExportJobItem.dedupeKey(caller.userId(), useCase.usecaseId(), t, options),
                    ExportIds.newExportId()));
        }
        List<InflightGuards.Claim> claims = guards.claimAll(requests, now, pool);
        List<Acceptance> out = new ArrayList<>(claims.size());
        for (int i = 0; i < claims.size(); i++) {
            String trainingId = trainingIds.get(i);
            InflightGuards.Claim claim = claims.get(i);
            if (claim instanceof InflightGuards.Joined j) {
                out.add(new Acceptance.Reused(trainingId, j.exportId(), j.status()));
            } else if (claim instanceof InflightGuards.Claimed c) {
                out.add(new Acceptance.Created(trainingId, c.exportId()));
            } else {
                LOG.warn("inflight_claim_failed", "usecaseId", useCase.usecaseId(), "trainingId", trainingId);
                out.add(new Acceptance.Rejected(trainingId, ErrorCode.UNAVAILABLE,
                        "The export could not be queued right now. Please try again."));
            }
        }
        return out;
    }

    /** Over the cap: releases the guards just claimed and says so. */
    private Optional<AcceptOutcome.OverCap> checkCap(Caller caller, UseCase useCase, ExportOptions options,
                                                     Map<String, ExportJob> toCreate, Instant now) {
        Optional<AcceptOutcome.OverCap> over = capFor(caller, toCreate.size(), now);
        if (over.isPresent()) {
            Chunks.inParallel(pool, List.copyOf(toCreate.values()), job -> {
                guards.release(dedupeKey(job, useCase, options), job.exportId());
                return job;
            });
        }
        return over;
    }

    /**
     * Whether {@code adding} new exports would take the caller past the cap: one Query of the user index, which
     * stops counting once the answer is decided.
     */
    public Optional<AcceptOutcome.OverCap> capFor(Caller caller, int adding, Instant now) {
        long enough = maxActivePerUser - adding + 1L;
        long running = enough <= 0 ? 0 : active.count(caller.userId(), now, liveness.writtenSince(now), enough);
        if (enough > 0 && running + adding <= maxActivePerUser) {
            return Optional.empty();
        }
        return Optional.of(new AcceptOutcome.OverCap(enough <= 0 ? -1 : running, running >= enough,
                maxActivePerUser, adding));
    }

    /**
     * The job may or may not exist (an uncertain write) and has no message: make sure it is not left QUEUED,
     * and free its guard so that the next request starts afresh.
     */
    private ExportJob abandon(ExportJob job, UseCase useCase, ExportOptions options, Instant now) {
        try {
            JobError error = new JobError(ErrorCode.UNAVAILABLE, "The export could not be queued. Please start it again.",
                    null);
            if (jobs.finishIfActive(job.exportId(), ExportStatus.FAILED, error, now)) {
                completions.finished(ExportFinished.of(job, ExportStatus.FAILED, error, now), now);
            }
            guards.release(dedupeKey(job, useCase, options), job.exportId());
        } catch (SdkException e) {
            // The one state we cannot repair from here: DynamoDB refused the clean-up too. Say so loudly, with ids.
            LOG.error("abandon_failed", "exportId", job.exportId(), "exception", e.getClass().getSimpleName());
        }
        return job;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static String dedupeKey(ExportJob job, UseCase useCase, ExportOptions options) {
        return ExportJobItem.dedupeKey(job.requestedBy(), useCase.usecaseId(), job.trainingId(), options);
    }

    /** A fresh batch id (the batch route asks for one before accepting). */
    public static String newBatchId() {
        return ExportIds.newBatchId();
    }
}
