package dev.sift.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** The lineage of one iteration: the pool it filtered, what it kept and the model trained on it. */
@Entity
@Table(name = "iteration")
@IdClass(IterationEntity.Key.class)
public class IterationEntity {
    @Id
    @Column(name = "run_id")
    public Long runId;
    @Id
    public int k;
    @Column(name = "pool_size")
    public int poolSize;
    @Column(name = "kept_size")
    public int keptSize;
    public String method;
    @Column(name = "selected_uri")
    public String selectedUri;
    @Column(name = "random_uri")
    public String randomUri;
    @Column(name = "selected_weights")
    public String selectedWeights;
    /** The iteration whose kept subset this one filtered; 0 = the training split. Null in runs before V8. */
    public Integer parent;
    /** SHA-256 of the kept sample indices in ascending order, comma-separated. */
    @Column(name = "subset_digest")
    public String subsetDigest;
    public String policy;
    @Column(name = "sort_order")
    public String order;

    /** Composite key. */
    public static class Key implements Serializable {
        public Long runId;
        public int k;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Objects.equals(runId, other.runId) && k == other.k;
        }

        @Override
        public int hashCode() {
            return Objects.hash(runId, k);
        }
    }
}
