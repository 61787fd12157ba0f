package dev.sift.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One execution of a workflow. */
@Entity
@Table(name = "run")
public class RunEntity {
    public enum Status {
        RUNNING, SUCCEEDED, FAILED,
        /** Stopped by SIGTERM or Ctrl-C; resumable. */
        INTERRUPTED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String name;
    public String workflow;
    @Column(name = "workflow_path")
    public String workflowPath;
    @Column(name = "spec_yaml")
    public String specYaml;
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Status status;
    public String error;
    @Column(name = "owner_host")
    public String ownerHost;
    @Column(name = "owner_pid")
    public Long ownerPid;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    /** The schedule that started the run, or under whose lock it was started by hand; null for other runs. */
    @Column(name = "schedule_name")
    public String scheduleName;
    /** The scheduled time of the firing that started the run; null unless a schedule fired it. */
    @Column(name = "fire_time")
    public Instant fireTime;
}
