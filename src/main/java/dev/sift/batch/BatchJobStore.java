package dev.sift.batch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The batch_job rows: each method one transaction. */
@ApplicationScoped
public class BatchJobStore {
    @Inject
    Instance<EntityManager> em;

    /** Records a job right after SubmitJob answered with its id. */
    @Transactional
    public BatchJobEntity submitted(long runId, String jobId, String jobName, BatchTarget target, String retryOf) {
        BatchJobEntity j = new BatchJobEntity();
        j.runId = runId;
        j.jobId = jobId;
        j.jobName = jobName;
        j.jobQueue = target.queue();
        j.jobDefinition = target.jobDefinition();
        j.retryOf = retryOf;
        j.status = "SUBMITTED";
        j.submittedAt = Instant.now();
        j.updatedAt = j.submittedAt;
        em.get().persist(j);
        return j;
    }

    /** Stores what DescribeJobs said about a job. */
    @Transactional
    public void update(long id, JobSnapshot s) {
        BatchJobEntity j = em.get().find(BatchJobEntity.class, id);
        j.status = s.status();
        j.statusReason = s.statusReason();
        j.batchAttempts = s.attempts();
        j.exitCode = s.exitCode();
        j.updatedAt = Instant.now();
        if (s.terminal() && j.finishedAt == null) {
            j.finishedAt = j.updatedAt;
        }
    }

    /** A run's jobs, in the order they were submitted. */
    @Transactional
    public List<BatchJobEntity> ofRun(long runId) {
        return em.get().createQuery("from BatchJobEntity j where j.runId = :r order by j.id", BatchJobEntity.class)
                .setParameter("r", runId).getResultList();
    }

    /** The run's last job, if it was ever submitted. */
    public Optional<BatchJobEntity> latest(long runId) {
        List<BatchJobEntity> all = ofRun(runId);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** How many jobs the chain ending in {@code job} holds: 1 plus the jobs it was resubmitted after. */
    public int chainLength(BatchJobEntity job) {
        List<BatchJobEntity> all = ofRun(job.runId);
        int n = 1;
        String previous = job.retryOf;
        for (int i = all.size() - 1; i >= 0 && previous != null; i--) {
            if (all.get(i).jobId.equals(previous)) {
                n++;
                previous = all.get(i).retryOf;
            }
        }
        return n;
    }
}
