package dev.sift.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * V16 rewrites the parameters of runs stored before they were keyed as the YAML writes them: the scoring checkpoint,
 * the cache switches, and the first candidate stored as the policy of a run that chose among candidates.
 */
class ParamsMigrationTest {
    @Test
    void oldKeysBecomeTheKeysTheYamlWrites() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            Migrations.migrate(url, "15");
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("INSERT INTO run (name, workflow, workflow_path, spec_yaml, status, params) VALUES "
                        + "('a', 'w', '/w.yaml', 'name: w', 'SUCCEEDED', '{\"score.checkpoint.kind\": \"epoch\", "
                        + "\"score.checkpoint.epoch\": 2, \"cache.enabled\": \"true\", \"cache.off\": "
                        + "\"fine-tune,filter\", \"filter.keep\": 0.5}'), "
                        + "('b', 'w', '/w.yaml', 'name: w', 'SUCCEEDED', '{\"score.checkpoint.kind\": \"best\", "
                        + "\"score.checkpoint.epoch\": 0, \"cache.enabled\": \"false\", \"cache.off\": \"\", "
                        + "\"filter.candidates\": \"ccs,stratified\", \"filter.policy\": \"ccs\"}'), "
                        + "('c', 'w', '/w.yaml', 'name: w', 'FAILED', '{\"filter.candidates\": \"ccs,weighted\", "
                        + "\"filter.policy\": \"ccs\"}'), "
                        + "('d', 'w', '/w.yaml', 'name: w', 'SUCCEEDED', '{\"score.checkpoint\": \"final\", "
                        + "\"filter.policy\": \"ccs\", \"cache\": \"true\"}'), "
                        + "('e', 'w', '/w.yaml', 'name: w', 'SUCCEEDED', NULL)");
                s.execute("INSERT INTO iteration (run_id, k, pool_size, kept_size, method, selected_uri, random_uri, "
                        + "policy) VALUES (2, 2, 9, 5, 'loss', 's', 'r', 'ccs (validation''s pick of 2)'), "
                        + "(2, 1, 10, 9, 'loss', 's', 'r', 'stratified (validation''s pick of 2)')");
            }
            Migrations.migrate(url, null);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                assertEquals(List.of(
                        "{\"cache\": \"true\", \"filter.keep\": 0.5, \"filter.cache\": \"false\", "
                                + "\"fine_tune.cache\": \"false\", \"score.checkpoint\": \"epoch:2\"}",
                        "{\"cache\": \"false\", \"filter.picked\": \"stratified,ccs\", \"score.checkpoint\": \"best\", "
                                + "\"filter.candidates\": \"ccs,stratified\"}",
                        "{\"filter.candidates\": \"ccs,weighted\"}",
                        "{\"cache\": \"true\", \"filter.policy\": \"ccs\", \"score.checkpoint\": \"final\"}"),
                        Migrations.rows(s, "SELECT params::text FROM run WHERE params IS NOT NULL ORDER BY id"));
                assertEquals(List.of("e"), Migrations.rows(s, "SELECT name FROM run WHERE params IS NULL"));
            }
        }
    }

    /**
     * V18: a recommendation run's columns under the names its YAML writes (user, rating), search runs untouched; a tab
     * separator as tab.
     */
    @Test
    void recommendationColumnsTakeTheirYamlNames() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            Migrations.migrate(url, "17");
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("INSERT INTO run (name, workflow, workflow_path, spec_yaml, status, params) VALUES "
                        + "('rec', 'w', '/w.yaml', 'name: w', 'SUCCEEDED', '{\"task.type\": \"recommendation\", "
                        + "\"dataset.columns.user_id\": \"0\", \"dataset.columns.label\": \"2\", \"evaluate.k\": 10, "
                        + "\"score.checkpoint\": \"best\", \"fine_tune.patience\": 0}'), "
                        + "('norating', 'w', '/w.yaml', 'name: w', 'SUCCEEDED', '{\"task.type\": \"recommendation\", "
                        + "\"dataset.columns.user_id\": \"u\"}'), "
                        + "('search', 'w', '/w.yaml', 'name: w', 'SUCCEEDED', '{\"task.type\": \"graded\", "
                        + "\"dataset.columns.user_id\": \"uid\", \"dataset.columns.label\": \"grade\", "
                        + "\"evaluate.k\": 10}'), "
                        + "('tabs', 'w', '/w.yaml', 'name: w', 'SUCCEEDED', '{\"dataset.separator\": \"\\t\", "
                        + "\"dataset.items.separator\": \"|\"}')");
            }
            Migrations.migrate(url, null);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                assertEquals(List.of(
                        "{\"task.type\": \"recommendation\", \"dataset.columns.user\": \"0\", "
                                + "\"dataset.columns.rating\": \"2\"}",
                        "{\"task.type\": \"recommendation\", \"dataset.columns.user\": \"u\"}",
                        "{\"task.type\": \"graded\", \"evaluate.k\": 10, \"dataset.columns.label\": \"grade\", "
                                + "\"dataset.columns.user_id\": \"uid\"}",
                        "{\"dataset.separator\": \"tab\", \"dataset.items.separator\": \"|\"}"),
                        Migrations.rows(s, "SELECT params::text FROM run ORDER BY id"));
            }
        }
    }

    /** V19: the given files under the keys the YAML writes (dataset.test, ...), the readings of a moment left out. */
    @Test
    void givenFilesTakeTheirYamlNames() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            Migrations.migrate(url, "18");
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("INSERT INTO run (name, workflow, workflow_path, spec_yaml, status, params) VALUES "
                        + "('given', 'w', '/w.yaml', 'name: w', 'SUCCEEDED', '{\"dataset.path\": \"/t.csv\", "
                        + "\"dataset.given.test\": \"/te.csv\", \"dataset.given.validation\": \"/va.csv\"}'), "
                        + "('utility', 'w', '/w.yaml', 'name: w', 'SUCCEEDED', '{\"dataset.given.utility\": \"/u.csv\", "
                        + "\"dataset.given.readings\": \"{}\"}'), "
                        + "('plain', 'w', '/w.yaml', 'name: w', 'SUCCEEDED', '{\"dataset.path\": \"/t.csv\"}')");
            }
            Migrations.migrate(url, null);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                assertEquals(List.of(
                        "{\"dataset.path\": \"/t.csv\", \"dataset.test\": \"/te.csv\", \"dataset.validation\": "
                                + "\"/va.csv\"}",
                        "{\"dataset.utility\": \"/u.csv\"}",
                        "{\"dataset.path\": \"/t.csv\"}"),
                        Migrations.rows(s, "SELECT params::text FROM run ORDER BY id"));
            }
        }
    }
}
