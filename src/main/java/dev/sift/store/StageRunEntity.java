package dev.sift.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One stage of a run at one iteration; re-running it bumps {@code attempt} on the same row. */
@Entity
@Table(name = "stage_run")
public class StageRunEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "run_id")
    public Long runId;
    public String stage;
    public int iteration;
    public int seq;
    @Enumerated(EnumType.STRING)
    public RunEntity.Status status;
    public int attempt;
    @Column(name = "input_digest")
    public String inputDigest;
    @Column(name = "output_json")
    public String outputJson;
    public String error;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "duration_ms")
    public Long durationMs;
    /** The step's cache key (see the workflow package's StageCache). */
    @Column(name = "cache_key")
    public String cacheKey;
    /** The run whose output this step reused through the cache; null when it ran here. */
    @Column(name = "reused_from")
    public Long reusedFrom;
}
