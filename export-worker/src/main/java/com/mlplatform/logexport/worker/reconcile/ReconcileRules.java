package com.mlplatform.logexport.worker.reconcile;

import com.mlplatform.logexport.shared.job.ExportJob;
import com.mlplatform.logexport.shared.job.ExportStatus;
import com.mlplatform.logexport.shared.message.ExportMessage;
import com.mlplatform.logexport.worker.checkpoint.Checkpoint;
import com.mlplatform.logexport.worker.checkpoint.CheckpointCodec;
import com.mlplatform.logexport.worker.checkpoint.Lease;
import com.mlplatform.logexport.worker.reconcile.Verdict.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The reconciler's decision for one active export, as a pure function of the job record, what the reconciler saw
 * on earlier runs ({@link RedriveMark}) and the time. Three kinds of stuck export:
 * <ul>
 *   <li><b>waiting for a message</b> (QUEUED, or RUNNING between hops: no lease) without a write for
 *       {@code queuedGrace}: the message may be lost (the API died before sending it, a continuation was never
 *       sent) or just deep in a backlog. Re-driven — a duplicate is harmless, the ledger's claim lets one delivery
 *       work — with the wait doubling after each re-drive (at most {@value #MAX_DOUBLINGS} times), so a backlog
 *       is not flooded with copies. Never failed for this; only the maximum age ends it.</li>
 *   <li><b>stalled</b> (RUNNING, lease expired) without a write for {@code staleAfter}: its worker died. Re-driven;
 *       each expired lease of another owner is one more attempt that died, and once more of them than
 *       {@code maxRedrives} died without durable progress the export is FAILED. Progress is a change of the
 *       checkpoint (a hop paused, the upload started) or of the status — not a write as such, since every claim
 *       writes the record.</li>
 *   <li><b>too old</b> (created more than {@code maxExportAge} ago): FAILED, whatever its state.</li>
 * </ul>
 */
public final class ReconcileRules {

    /** The wait between re-drives of an unchanged export doubles at most this often (to 8x its base). */
    static final int MAX_DOUBLINGS = 3;

    private final ReconcilerConfig config;

    public ReconcileRules(ReconcilerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** False for an export the index shows recently written and young: it needs no look this run. */
    public boolean mayNeedAction(ActiveExports.Entry entry, Instant now) {
        return !now.isBefore(entry.createdAt().plus(config.maxExportAge()))
                || !now.isBefore(entry.updatedAt().plus(config.quietBound()));
    }

    /**
     * @param job  an active export, as just read
     * @param mark what earlier runs saw of it, null when nothing
     */
    public Verdict decide(ExportJob job, RedriveMark mark, Instant now) {
        if (!job.status().isActive()) {
            throw new IllegalArgumentException("only active exports are reconciled, " + job.exportId() + " is "
                    + job.status());
        }
        if (!now.isBefore(job.createdAt().plus(config.maxExportAge()))) {
            return new Verdict.Fail(Reason.TOO_OLD, "The export did not finish within "
                    + describe(config.maxExportAge()) + "; please start it again.");
        }
        Checkpoint cp;
        try {
            cp = CheckpointCodec.decode(job.checkpoint());
        } catch (RuntimeException e) {
            return new Verdict.Fail(Reason.UNREADABLE,
                    "The export's saved progress could not be read; please start it again.");
        }
        Lease lease = cp == null ? null : cp.lease();
        if (lease != null && lease.isHeldAt(now)) {
            return new Verdict.Leave(Reason.ALIVE, null);
        }
        String owner = lease == null ? null : lease.owner();
        RedriveMark seen = observe(mark, job.exportId(), progressOf(job, cp), owner);
        RedriveMark changed = seen.equals(mark) ? null : seen;
        if (seen.failedClaims() > config.maxRedrives()) {
            return new Verdict.Fail(Reason.STALLED_TOO_OFTEN, "The export stopped making progress after "
                    + config.maxRedrives() + (config.maxRedrives() == 1 ? " restart" : " restarts")
                    + "; please start it again.");
        }
        Duration base = owner == null ? config.queuedGrace() : config.staleAfter();
        Duration wait = base.multipliedBy(1L << Math.min(seen.redrives(), MAX_DOUBLINGS));
        Instant since = seen.redrivenAt() != null && seen.redrivenAt().isAfter(job.updatedAt())
                ? seen.redrivenAt() : job.updatedAt();
        if (now.isBefore(since.plus(wait))) {
            return new Verdict.Leave(seen.redrives() == 0 ? Reason.ALIVE : Reason.BACKING_OFF, changed);
        }
        Reason reason = owner != null ? Reason.STALLED
                : job.status() == ExportStatus.QUEUED ? Reason.QUEUED_SILENT : Reason.HOP_SILENT;
        int hop = cp == null ? 0 : cp.continuation();
        return new Verdict.Redrive(reason, new ExportMessage(ExportMessage.CURRENT_VERSION, job.exportId(), hop),
                seen.redriven(now));
    }

    /** Starts a fresh mark on progress; counts a new expired lease as one more attempt that died. */
    private static RedriveMark observe(RedriveMark mark, String exportId, String progress, String owner) {
        if (mark == null || !mark.progress().equals(progress)) {
            return new RedriveMark(exportId, progress, owner, owner == null ? 0 : 1, 0, null);
        }
        if (owner != null && !owner.equals(mark.leaseOwner())) {
            return new RedriveMark(exportId, progress, owner, mark.failedClaims() + 1, 0, mark.redrivenAt());
        }
        return mark;
    }

    /**
     * The export's durable progress as a short string: its status, and for a RUNNING one a digest of its
     * checkpoint without the lease (a claim changes only the lease; a hop that gets somewhere saves a new
     * checkpoint). Progress counters are left out: a hop that dies redoes the work since its last checkpoint.
     */
    static String progressOf(ExportJob job, Checkpoint cp) {
        if (cp == null) {
            return job.status().name();
        }
        return job.status().name() + ":" + cp.continuation() + ":" + sha256(CheckpointCodec.encode(cp.withLease(null)));
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** "24 hours", "90 minutes", "45 seconds": for the user's message. */
    static String describe(Duration d) {
        if (d.toSeconds() % 3600 == 0) {
            return d.toHours() == 1 ? "1 hour" : d.toHours() + " hours";
        }
        if (d.toSeconds() % 60 == 0) {
            return d.toMinutes() + " minutes";
        }
        return d.toSeconds() + " seconds";
    }
}
