package dev.sift.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A two-user recommendation workflow with its interactions and items files, for commands that must refuse it. */
final class RecommendationFixture {
    private RecommendationFixture() {
    }

    /** Writes u.data, u.item and rec.yaml into {@code dir}; returns the workflow's path. */
    static Path write(Path dir) throws IOException {
        Files.writeString(dir.resolve("u.data"), "1\t10\t5\t100\n2\t11\t4\t101\n");
        Files.writeString(dir.resolve("u.item"), "10|Lamp\n11|Desk\n");
        return Files.writeString(dir.resolve("rec.yaml"), """
                name: rec
                dataset:
                  path: u.data
                  separator: tab
                  header: false
                  columns: {user: "0", item: "1", rating: "2", time: "3"}
                  items: {path: u.item, separator: "|", header: false, key: "0", text: "1"}
                task: {type: recommendation, positive_at: 4}
                model: {encoder: minilm, mode: head}
                score: {methods: [loss]}
                filter: {policy: truncated, by: loss, keep: 0.9}
                iterations: 1
                """);
    }
}
