package dev.sift.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A prepared dataset in S3, identified by the sha256 of its bytes. */
@Entity
@Table(name = "dataset")
public class DatasetEntity {
    @Id
    public String sha256;
    public String uri;
    public String source;
    @Column(name = "source_sha256")
    public String sourceSha256;
    @Column(name = "parent_sha256")
    public String parentSha256;
    public int rows;
    @Column(name = "train_rows")
    public int trainRows;
    @Column(name = "validation_rows")
    public int validationRows;
    @Column(name = "test_rows")
    public int testRows;
    public int quarantined;
    public int duplicates;
    @Column(name = "schema_json")
    public String schemaJson;
    @Column(name = "created_at")
    public Instant createdAt;
}
