package dev.sift.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Plain-JDBC work in one transaction: committed when it returns, rolled back when it throws. */
final class Transactions {
    private Transactions() {
    }

    /** Work on a connection whose auto-commit is off. */
    interface Work {
        void run(Connection c) throws SQLException, IOException;
    }

    static void run(DataSource dataSource, String what, Work work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
