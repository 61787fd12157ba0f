package dev.sift.store;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Checks, before Quarkus boots, that the configured PostgreSQL answers and accepts the credentials, so a wrong URL,
 * a closed port or a wrong password ends in one line and exit code 3 rather than a Flyway stack trace.
 */
public final class DatabaseProbe {
    private static final int TIMEOUT_SECONDS = 10;

    private DatabaseProbe() {
    }

    /** Connects with the PostgreSQL driver directly (no DriverManager: it works under any class loader). */
    static Connection connect(String url, String user, String password) throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
        p.setProperty("loginTimeout", Integer.toString(TIMEOUT_SECONDS));
        Connection c = new org.postgresql.Driver().connect(url, p);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL (expected jdbc:postgresql://HOST:PORT/DATABASE)");
        }
        return c;
    }

    /** Throws a {@link SiftException} with exit code 3 and one line when the database cannot be used. */
    public static void check(String url, String user, String password) {
        try (Connection c = connect(url, user, password); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException e) {
            // the driver's message may repeat what it could not parse, a password in the URL included
            throw new SiftException(ExitCodes.ENVIRONMENT, "database " + redact(url) + " is not usable: "
                    + firstLine(UrlRedaction.scrub(e.getMessage(), url, password)), e);
        }
    }

    /** The URL as it may be printed ({@link UrlRedaction#database}): the user name, no password, no query value. */
    static String redact(String url) {
        return UrlRedaction.database(url);
    }

    public static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String m = message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
