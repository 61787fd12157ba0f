package dev.sift.store;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;

/** For migration tests: the project's migrations up to a version, and a query's first column as text. */
final class Migrations {
    private Migrations() {
    }

    /** Migrates the database at {@code url} to {@code target} (null: the latest). */
    static void migrate(String url, String target) {
        var config = Flyway.configure().dataSource(url, "postgres", null).locations("filesystem:migrations");
        (target == null ? config : config.target(target)).load().migrate();
    }

    static List<String> rows(Statement s, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
