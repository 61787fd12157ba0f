package dev.sift.store;

import dev.sift.store.RunEntity.Status;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs, stage runs, iterations, metrics and datasets through Hibernate ORM; each method one transaction. */
@ApplicationScoped
public class RunStore {
    @Inject
    Instance<EntityManager> em;

    @Transactional
    public RunEntity createRun(String name, String workflow, String path, String specYaml) {
        return createRun(name, workflow, path, specYaml, null);
    }

    /**
     * Creates a RUNNING run owned by this process; {@code params} (the resolved workflow parameters, flat, keyed by
     * dotted names) are stored with it for history queries, or left to be derived from {@code specYaml} when null.
     */
    @Transactional
    public RunEntity createRun(String name, String workflow, String path, String specYaml,
            java.util.Map<String, Object> params) {
        return createRun(name, workflow, path, specYaml, params, null);
    }

    /**
     * As above, for a run a schedule started ({@code firing} not null): a second run of the same firing fails on the
     * unique index instead of being created.
     */
    @Transactional
    public RunEntity createRun(String name, String workflow, String path, String specYaml,
            java.util.Map<String, Object> params, Firing firing) {
        RunEntity r = new RunEntity();
        if (firing != null) {
            r.scheduleName = firing.schedule();
            r.fireTime = firing.fireTime();
        }
        r.name = name;
        r.workflow = workflow;
        r.workflowPath = path;
        r.specYaml = specYaml;
        r.status = Status.RUNNING;
        r.createdAt = Instant.now();
        r.startedAt = r.createdAt;
        r.ownerHost = host();
        r.ownerPid = ProcessHandle.current().pid();
        em.get().persist(r);
        if (params != null) {
            em.get().flush();
            em.get().createNativeQuery("UPDATE run SET params = CAST(?1 AS jsonb) WHERE id = ?2")
                    .setParameter(1, HistoryStore.json(params)).setParameter(2, r.id).executeUpdate();
        }
        return r;
    }

    /** A run recorded FAILED at once, in one transaction: a scheduled firing that could not start (its reason). */
    @Transactional
    public RunEntity createFailed(String name, String workflow, String path, String specYaml,
            java.util.Map<String, Object> params, Firing firing, String error) {
        RunEntity r = createRun(name, workflow, path, specYaml, params, firing);
        r.status = Status.FAILED;
        r.error = error;
        r.finishedAt = Instant.now();
        return r;
    }

    /**
     * Whether a RUNNING run's owner process is gone: it ran on this machine and its process no longer lives
     * (killed with SIGKILL, or the machine restarted). Runs of other machines cannot be checked: false.
     */
    public static boolean stale(RunEntity r) {
        return r.status == Status.RUNNING && r.ownerPid != null && host().equals(r.ownerHost)
                && r.ownerPid != ProcessHandle.current().pid() && !Processes.isOtherLiveJava(r.ownerPid);
    }

    /** What a stale run's status adds ("stale: owner process N is gone"); null for a run that is not stale. */
    public static String staleNote(RunEntity r) {
        return stale(r) ? "stale: owner process " + r.ownerPid + " is gone" : null;
    }

    /** The run's status as people read it: {@code RUNNING (stale: owner process N is gone)} where it is stale. */
    public static String statusText(RunEntity r) {
        String note = staleNote(r);
        return r.status.name() + (note == null ? "" : " (" + note + ")");
    }

    /**
     * Whether a run's owner process still lives: it ran on this machine and its process is another live JVM. Runs of
     * other machines cannot be checked: false (their stage rows say what finished).
     */
    public static boolean ownerAlive(RunEntity r) {
        return r.ownerPid != null && host().equals(r.ownerHost) && Processes.isOtherLiveJava(r.ownerPid);
    }

    /** This machine's host name, as recorded with the runs it owns. */
    public static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** The run with this id, or a usage error (exit code 2) that says there is none. */
    @Transactional
    public RunEntity require(long id) {
        return findRun(id).orElseThrow(() -> dev.sift.SiftException.usage("no run with id " + id));
    }

    @Transactional
    public Optional<RunEntity> findRun(long id) {
        return Optional.ofNullable(em.get().find(RunEntity.class, id));
    }

    /** The run a schedule's firing started, if it started one. */
    @Transactional
    public Optional<RunEntity> findFiring(String schedule, Instant fireTime) {
        return em.get().createQuery("from RunEntity r where r.scheduleName = :s and r.fireTime = :t", RunEntity.class)
                .setParameter("s", schedule).setParameter("t", fireTime).getResultStream().findFirst();
    }

    /** A schedule's runs (fired or started by hand under its name), the latest first. */
    @Transactional
    public List<RunEntity> runsOfSchedule(String schedule, int limit) {
        return em.get().createQuery("from RunEntity r where r.scheduleName = :s order by r.createdAt desc, r.id desc",
                RunEntity.class).setParameter("s", schedule).setMaxResults(limit).getResultList();
    }

    /** The runs with these ids that exist, in no particular order. */
    @Transactional
    public List<RunEntity> findRuns(java.util.Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return em.get().createQuery("from RunEntity r where r.id in :ids", RunEntity.class).setParameter("ids", ids)
                .getResultList();
    }

    /**
     * Marks a run as owned by this process again (resume), only if no other process claimed it since {@code seen}
     * was read: one conditional UPDATE, so of two resumes started together exactly one wins. False: another
     * process changed the run's status or owner in between.
     */
    @Transactional
    public boolean claim(RunEntity seen) {
        String sql = "UPDATE run SET status = 'RUNNING', error = NULL, finished_at = NULL, owner_host = ?1, "
                + "owner_pid = ?2 WHERE id = ?3 AND status = ?4"
                + (seen.ownerHost == null ? " AND owner_host IS NULL" : " AND owner_host = ?5")
                + (seen.ownerPid == null ? " AND owner_pid IS NULL" : " AND owner_pid = ?6");
        var q = em.get().createNativeQuery(sql).setParameter(1, host())
                .setParameter(2, ProcessHandle.current().pid()).setParameter(3, seen.id)
                .setParameter(4, seen.status.name());
        if (seen.ownerHost != null) {
            q.setParameter(5, seen.ownerHost);
        }
        if (seen.ownerPid != null) {
            q.setParameter(6, seen.ownerPid);
        }
        return q.executeUpdate() == 1;
    }

    /** {@link #claim}, or exit code 4 naming the process that claimed the run first (one transaction). */
    @Transactional
    public void claimOrBusy(RunEntity seen) {
        if (!claim(seen)) {
            RunEntity now = require(seen.id);
            throw new dev.sift.SiftException(dev.sift.ExitCodes.BUSY, "run " + seen.id + " was claimed by process "
                    + now.ownerPid + " on " + now.ownerHost + " while this one started (status " + now.status + ")");
        }
    }

    /** The run's RUNNING step rows (a stale run's may be a dead owner's or a live {@code --only-stage} process's). */
    @Transactional
    public List<StageRunEntity> runningSteps(long runId) {
        return em.get().createQuery("from StageRunEntity s where s.runId = :r and s.status = :st",
                StageRunEntity.class).setParameter("r", runId).setParameter("st", Status.RUNNING).getResultList();
    }

    /**
     * Marks a run INTERRUPTED when it is {@link #stale}: its owner died on this machine while steps go on by {@code
     * resume --only-stage}, so RUNNING would claim a process that is gone; of its RUNNING steps, those in {@code
     * deadSteps} (id to the attempt found dead) too, each only while still in that attempt. A run owned elsewhere (an
     * AWS Batch job's, followed by another machine) cannot be checked and is left as it is. The updates are
     * conditional on the owner read, so a resume that claims the run meanwhile keeps it.
     */
    @Transactional
    public void interruptIfStale(long runId, Map<Long, Integer> deadSteps) {
        RunEntity r = em.get().find(RunEntity.class, runId);
        if (r == null || !stale(r)) {
            return;
        }
        String reason = "its process " + r.ownerPid + " is gone; go on with 'sift resume " + runId + "'";
        String owned = "id = ?2 AND status = 'RUNNING' AND owner_host = ?3 AND owner_pid = ?4";
        for (Map.Entry<Long, Integer> step : deadSteps.entrySet()) {
            em.get().createNativeQuery("UPDATE stage_run SET status = 'INTERRUPTED', error = ?1, finished_at = now(), "
                    + "duration_ms = CAST(extract(epoch FROM now() - started_at) * 1000 AS bigint) WHERE status = "
                    + "'RUNNING' AND id = ?5 AND attempt = ?6 AND run_id IN (SELECT id FROM run WHERE " + owned + ")")
                    .setParameter(1, reason).setParameter(2, runId).setParameter(3, r.ownerHost)
                    .setParameter(4, r.ownerPid).setParameter(5, step.getKey()).setParameter(6, step.getValue())
                    .executeUpdate();
        }
        em.get().createNativeQuery("UPDATE run SET status = 'INTERRUPTED', error = ?1, finished_at = now() WHERE "
                + owned).setParameter(1, reason).setParameter(2, runId).setParameter(3, r.ownerHost)
                .setParameter(4, r.ownerPid).executeUpdate();
        em.get().detach(r); // the rows changed underneath: the next read sees them
    }

    /** Records the end of a run; a failure caused by the shutdown does not overwrite INTERRUPTED. */
    @Transactional
    public void finishRun(long runId, Status status, String error) {
        RunEntity r = em.get().find(RunEntity.class, runId);
        if (r.status == Status.INTERRUPTED && status == Status.FAILED) {
            return;
        }
        r.status = status;
        r.error = error;
        r.finishedAt = Instant.now();
    }

    @Transactional
    public Optional<StageRunEntity> findStage(long runId, String stage, int iteration) {
        return em.get().createQuery("from StageRunEntity s where s.runId = :r and s.stage = :st and s.iteration = :i",
                StageRunEntity.class).setParameter("r", runId).setParameter("st", stage).setParameter("i", iteration)
                .getResultStream().findFirst();
    }

    /** The newest finished step of another run with this cache key. */
    @Transactional
    public Optional<StageRunEntity> findCached(String cacheKey, long exceptRun) {
        return em.get().createQuery("from StageRunEntity s where s.cacheKey = :k and s.status = :st and s.runId <> :r "
                + "order by s.finishedAt desc", StageRunEntity.class).setParameter("k", cacheKey)
                .setParameter("st", Status.SUCCEEDED).setParameter("r", exceptRun).setMaxResults(1)
                .getResultStream().findFirst();
    }

    @Transactional
    public List<StageRunEntity> stages(long runId) {
        return em.get().createQuery("from StageRunEntity s where s.runId = :r order by s.seq", StageRunEntity.class)
                .setParameter("r", runId).getResultList();
    }

    /** Starts (or restarts, with the next attempt number) a stage; one row per run, stage and iteration. */
    @Transactional
    public StageRunEntity beginStage(long runId, String stage, int iteration, int seq, String inputDigest) {
        StageRunEntity s = findStage(runId, stage, iteration).orElse(null);
        boolean created = s == null;
        if (created) {
            s = new StageRunEntity();
            s.runId = runId;
            s.stage = stage;
            s.iteration = iteration;
            s.attempt = 0;
        } else {
            s = em.get().find(StageRunEntity.class, s.id);
        }
        s.seq = seq;
        s.attempt++;
        s.status = Status.RUNNING;
        s.error = null;
        s.outputJson = null;
        s.cacheKey = null;
        s.reusedFrom = null;
        s.inputDigest = inputDigest;
        s.startedAt = Instant.now();
        s.finishedAt = null;
        s.durationMs = null;
        if (created) {
            em.get().persist(s);
        }
        return s;
    }

    @Transactional
    public void finishStage(long stageRunId, String outputJson) {
        finishStage(stageRunId, outputJson, null, null);
    }

    /** Marks a stage finished with its output, the cache key it ran under and the run it reused (null: none). */
    @Transactional
    public void finishStage(long stageRunId, String outputJson, String cacheKey, Long reusedFrom) {
        StageRunEntity s = em.get().find(StageRunEntity.class, stageRunId);
        s.status = Status.SUCCEEDED;
        s.outputJson = outputJson;
        s.cacheKey = cacheKey;
        s.reusedFrom = reusedFrom;
        s.finishedAt = Instant.now();
        s.durationMs = s.finishedAt.toEpochMilli() - s.startedAt.toEpochMilli();
    }

    @Transactional
    public void failStage(long stageRunId, String error) {
        StageRunEntity s = em.get().find(StageRunEntity.class, stageRunId);
        if (s.status == Status.INTERRUPTED) {
            return; // the shutdown that interrupted it is why it failed
        }
        s.status = Status.FAILED;
        s.error = error;
        s.finishedAt = Instant.now();
        s.durationMs = s.finishedAt.toEpochMilli() - s.startedAt.toEpochMilli();
    }

    /** Replaces the metrics (the seed means) of one run, iteration and subset; per-seed rows stay. */
    @Transactional
    public void replaceMetrics(long runId, int iteration, String split, String subset,
            java.util.Map<String, Double> values) {
        em.get().createQuery("delete from MetricEntity m where m.runId = :r and m.iteration = :i and m.split = :sp "
                + "and m.subset = :su and m.seed is null").setParameter("r", runId).setParameter("i", iteration)
                .setParameter("sp", split).setParameter("su", subset).executeUpdate();
        for (var e : values.entrySet()) {
            MetricEntity m = new MetricEntity();
            m.runId = runId;
            m.iteration = iteration;
            m.split = split;
            m.subset = subset;
            m.name = e.getKey();
            m.value = e.getValue();
            em.get().persist(m);
        }
    }

    @Transactional
    public List<MetricEntity> metrics(long runId) {
        return em.get().createQuery("from MetricEntity m where m.runId = :r and m.seed is null "
                + "order by m.iteration, m.subset, m.name",
                MetricEntity.class).setParameter("r", runId).getResultList();
    }

    /**
     * Saves an iteration's lineage row. When validation picked its policy ({@code filter.candidates}), the run's
     * parameter {@code filter.picked} is set to the picks of all its iterations so far, in order, joined by commas
     * (as list parameters are), so {@code runs list --where "params.filter.picked = 'ccs'"} finds them.
     */
    @Transactional
    public void saveIteration(IterationEntity it) {
        em.get().merge(it);
        if (it.policy != null && it.policy.contains(PICK_SUFFIX)) {
            em.get().flush();
            notePicks(it.runId);
        }
    }

    /** Sets the run's {@code filter.picked} from its lineage rows (also after they were copied from a cache). */
    @Transactional
    public void notePicks(long runId) {
        StringBuilder picks = new StringBuilder();
        for (IterationEntity i : iterations(runId)) {
            if (i.policy != null && i.policy.contains(PICK_SUFFIX)) {
                picks.append(picks.length() == 0 ? "" : ",").append(picked(i.policy));
            }
        }
        if (picks.length() > 0) {
            em.get().createNativeQuery("UPDATE run SET params = params || jsonb_build_object('filter.picked', "
                    + "CAST(?1 AS text)) WHERE id = ?2 AND params IS NOT NULL").setParameter(1, picks.toString())
                    .setParameter(2, runId).executeUpdate();
        }
    }

    private static final String PICK_SUFFIX = " (validation's pick of ";

    /** The lineage's policy text for a policy validation picked among {@code of} candidates. */
    public static String pick(String policy, int of) {
        return policy + PICK_SUFFIX + of + ")";
    }

    /** The policy itself from a lineage text written by {@link #pick}. */
    static String picked(String lineage) {
        int at = lineage.indexOf(PICK_SUFFIX);
        return at < 0 ? lineage : lineage.substring(0, at);
    }

    @Transactional
    public List<IterationEntity> iterations(long runId) {
        return em.get().createQuery("from IterationEntity i where i.runId = :r order by i.k", IterationEntity.class)
                .setParameter("r", runId).getResultList();
    }

    @Transactional
    public void saveDataset(DatasetEntity d) {
        if (em.get().find(DatasetEntity.class, d.sha256) == null) {
            d.createdAt = Instant.now();
            em.get().persist(d);
        }
    }

    @Transactional
    public Optional<DatasetEntity> dataset(String sha) {
        return Optional.ofNullable(em.get().find(DatasetEntity.class, sha));
    }
}
