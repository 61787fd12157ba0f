package dev.sift.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One measured value: run, iteration, split, subset (selected / random / full), name. */
@Entity
@Table(name = "metric")
public class MetricEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "run_id")
    public Long runId;
    public int iteration;
    public String split;
    public String subset;
    public String name;
    public double value;
    /** The training seed's index, or null for the mean over seeds. */
    public Integer seed;
}
