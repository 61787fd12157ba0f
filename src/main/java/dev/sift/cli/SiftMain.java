package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.config.SiftHome;
import dev.sift.store.DatabaseProbe;
import dev.sift.store.EmbeddedPostgresServer;
import dev.sift.store.InterruptedRuns;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;

/**
 * Entry point. Decides per command whether a database is needed before Quarkus boots: {@code --help},
 * {@code --version} and {@code data generate} run with no database and no S3; {@code run}, {@code resume},
 * {@code runs}, {@code report}, {@code serve}, {@code schedule}, {@code gc} and {@code bench history} get the configured
 * PostgreSQL ({@code SIFT_DB_URL}) or an embedded one under SIFT_HOME; only {@code serve} starts Quartz
 * ({@link #schedulerMode}). Commands without a database also start without the datasource and the Hibernate
 * persistence unit ({@link #INACTIVE_WITHOUT_DATABASE}): no SessionFactory is built and no pool created.
 */
@QuarkusMain
public final class SiftMain {
    private static final Set<String> DB_COMMANDS = Set.of("run", "sweep", "resume", "runs", "report", "serve", "schedule",
            "gc");
    /** Quarkus' Quartz start mode: only serve runs firings; schedule commands edit the store through a halted one. */
    static final String START_MODE = "quarkus.scheduler.start-mode";
    /**
     * Set to false for a command that needs no database, so that Quarkus neither builds the Hibernate SessionFactory
     * nor creates the connection pool (Flyway's follows the datasource); beans reach both through {@code Instance}.
     * {@code -Dsift.full-start=true} (or SIFT_FULL_START=true) starts them anyway, as before: the launcher makes the
     * AppCDS archive that way, so that it holds the classes the database commands load too.
     */
    static final List<String> INACTIVE_WITHOUT_DATABASE = List.of("quarkus.datasource.active",
            "quarkus.hibernate-orm.active");
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private SiftMain() {
    }

    public static void main(String... args) {
        boolean fullStart = "true".equals(setting("sift.full-start", "SIFT_FULL_START"));
        if (isHelpOnly(args) && !fullStart && printedHelp(args)) {
            return; // exit code 0, as picocli's for usage help
        }
        Integer engine = EngineStart.refusal();
        if (engine != null) {
            System.exit(engine);
        }
        boolean database = needsDatabase(args);
        String store = database ? dev.sift.store.EnvironmentSettings.problem(System.getenv()) : null;
        if (store != null) { // before Quarkus reads them (its words name no variable); exit as a refusal below
            System.err.println("sift: " + dev.sift.data.Text.visible(store));
            io.quarkus.runtime.ApplicationLifecycleManager.getDefaultExitCodeHandler().accept(ExitCodes.USAGE, null);
            return;
        }
        if (database && !fullStart) {
            Integer refused = parseRefusal(args);
            if (refused != null) {
                // Quarkus' exit: System.exit in a real start; tests that launch main in their JVM get the code
                io.quarkus.runtime.ApplicationLifecycleManager.getDefaultExitCodeHandler().accept(refused, null);
                return;
            }
        }
        if (database) {
            try {
                configureDatabase();
            } catch (SiftException e) {
                System.err.println("sift: " + e.getMessage());
                System.exit(e.exitCode());
            } catch (Exception e) {
                // a file's failure in words (a SIFT_HOME that is a file read only its own path)
                System.err.println("sift: cannot start the embedded PostgreSQL under " + SiftHome.resolve().resolve("pg")
                        + ": " + dev.sift.data.Text.visible(e instanceof java.io.IOException io
                                ? dev.sift.IoReason.of(io) : e.getMessage()));
                System.exit(ExitCodes.ENVIRONMENT);
            }
        } else {
            // help, version, validate, data generate: nothing connects to a database
            System.setProperty("quarkus.flyway.migrate-at-start", "false");
        }
        // set every time: tests start the application several times in one JVM with different commands
        System.setProperty(START_MODE, database ? schedulerMode(args) : "normal");
        boolean inactive = !database && !fullStart;
        INACTIVE_WITHOUT_DATABASE.forEach(p -> setOrClear(p, inactive ? "false" : null));
        Quarkus.run(SiftApplication.class, args);
        // only reached in tests: the next application start decides again
        System.clearProperty(START_MODE);
        INACTIVE_WITHOUT_DATABASE.forEach(p -> setOrClear(p, null));
    }

    private static void setOrClear(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    /**
     * Usage help without booting Quarkus (its static init alone loads some 1,900 Hibernate classes; README, "CLI
     * start"): usage help reads only the commands' annotations, so the same command tree prints the same text. Prints
     * it and returns true when picocli answers with exit code 0; otherwise prints nothing and returns false, and the
     * normal start answers (the same picocli, through Quarkus, with its exit code). No System.exit: tests launch
     * {@link #main} in their own JVM.
     */
    static boolean printedHelp(String[] args) {
        CommandLine cl = SiftApplication.commandLine(CommandLine.defaultFactory());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        if (cl.execute(args) != 0) {
            return false;
        }
        System.out.print(out);
        System.out.flush();
        System.err.print(err);
        System.err.flush();
        return true;
    }

    /**
     * Arguments picocli refuses (an unknown option, a run id that is not a number, a missing argument) or the command's
     * own {@link ArgumentCheck} does (a malformed workflow, --limit 0), answered before the embedded PostgreSQL starts,
     * which takes seconds: prints on stderr the same lines (or the list of subcommands) a full start would and returns
     * its exit code; null when the arguments hold, and the normal start runs the command.
     */
    static Integer parseRefusal(String[] args) {
        CommandLine cl = SiftApplication.commandLine(CommandLine.defaultFactory());
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(err));
        cl.setErr(new PrintWriter(err));
        try {
            CommandLine.ParseResult last = cl.parseArgs(args);
            boolean help = last.isUsageHelpRequested() || last.isVersionHelpRequested();
            while (last.hasSubcommand()) {
                last = last.subcommand();
                help |= last.isUsageHelpRequested() || last.isVersionHelpRequested();
            }
            if (help) {
                return null; // 'sift run bad.yaml --help': the help, as a full start prints it
            }
            Object command = last.commandSpec().userObject();
            if (!last.commandSpec().subcommands().isEmpty() && !(command instanceof Runnable)
                    && !(command instanceof java.util.concurrent.Callable)) {
                // 'sift runs' alone: the list of its commands, exit 2, as picocli answers a missing subcommand
                last.commandSpec().commandLine().usage(System.err);
                return ExitCodes.USAGE;
            }
            return ArgumentCheck.refusal(command, System.err);
        } catch (CommandLine.ParameterException thrown) {
            CommandLine.ParameterException e = thrown;
            if (e instanceof CommandLine.MissingParameterException
                    && !e.getCommandLine().getUnmatchedArguments().isEmpty()) {
                // 'report 1 --bogus': picocli checks required options before it refuses what it did not match;
                // the unknown option is the mistake to name ('--out' may be missing only because of it)
                e = new CommandLine.UnmatchedArgumentException(e.getCommandLine(),
                        e.getCommandLine().getUnmatchedArguments());
            }
            try {
                int code = cl.getParameterExceptionHandler().handleParseException(e, args);
                System.err.print(err);
                System.err.flush();
                return code;
            } catch (Exception handlerFailed) {
                return null; // the normal start answers
            }
        }
    }

    /**
     * Whether {@code args} only ask for usage help: command names (no options, no values) then {@code --help} or
     * {@code -h} as the last argument, e.g. {@code --help}, {@code runs list -h}. Picocli prints the usage of that
     * command, or the same error as in a full start if a name is not a command.
     */
    static boolean isHelpOnly(String[] args) {
        if (args.length == 0 || !(args[args.length - 1].equals("--help") || args[args.length - 1].equals("-h"))) {
            return false;
        }
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].isEmpty() || !args[i].chars().allMatch(c -> c >= 'a' && c <= 'z' || c == '-')
                    || args[i].startsWith("-")) {
                return false;
            }
        }
        return true;
    }

    static boolean needsDatabase(String[] args) {
        String command = null;
        String sub = null;
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h") || a.equals("--version") || a.equals("-V")) {
                return false;
            }
            if (!a.startsWith("-")) {
                if (command == null) {
                    command = a;
                } else if (sub == null) {
                    sub = a;
                }
            }
        }
        return command != null && (DB_COMMANDS.contains(command) || command.equals("bench")
                && ("history".equals(sub) || "scores".equals(sub)));
    }

    /**
     * Quartz for this command line: {@code forced} (created and started: firings run here) for {@code serve};
     * {@code halted} (created, never started: the job store can be read and changed, nothing fires) for
     * {@code schedule} and {@code run --schedule}; {@code normal} for everything else, which with no
     * {@code @Scheduled} method in Sift means no Quartz scheduler at all, so other commands neither touch its tables
     * nor start its threads.
     */
    static String schedulerMode(String[] args) {
        String command = null;
        boolean scheduleOption = false;
        for (String a : args) {
            if (command == null && !a.startsWith("-")) {
                command = a;
            }
            scheduleOption |= a.equals("--schedule") || a.startsWith("--schedule=");
        }
        if ("serve".equals(command)) {
            return "forced";
        }
        return "schedule".equals(command) || "run".equals(command) && scheduleOption ? "halted" : "normal";
    }

    private static void configureDatabase() throws Exception {
        String url = setting("sift.db.url", "SIFT_DB_URL");
        if (url == null && System.getProperty("quarkus.datasource.jdbc.url") != null) {
            url = System.getProperty("quarkus.datasource.jdbc.url"); // set by a test harness
        }
        EmbeddedPostgresServer server = null;
        String user;
        String password;
        if (url != null) {
            // application.properties names the user postgres when none is configured
            user = Objects.requireNonNullElse(setting("sift.db.user", "SIFT_DB_USER"), "postgres");
            password = setting("sift.db.password", "SIFT_DB_PASSWORD");
            DatabaseProbe.check(url, user, password);
        } else {
            server = EmbeddedPostgresServer.start(SiftHome.resolve().resolve("pg"));
            url = server.jdbcUrl();
            user = server.user();
            password = server.password();
        }
        System.setProperty("quarkus.datasource.jdbc.url", url);
        System.setProperty("quarkus.datasource.username", user);
        if (password != null) {
            System.setProperty("quarkus.datasource.password", password);
        }
        System.setProperty("quarkus.flyway.migrate-at-start", "true");
        onShutdown(InterruptedRuns.onShutdown(url, user, password), server);
    }

    /**
     * On normal exit, SIGTERM or Ctrl-C, in this order: this process's unfinished runs become INTERRUPTED, then
     * its lease on the embedded PostgreSQL is given up (the last user stops the server).
     */
    private static void onShutdown(Runnable markInterrupted, EmbeddedPostgresServer server) {
        if (HOOKED.getAndSet(true)) {
            return; // tests start the application several times in one JVM
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            markInterrupted.run();
            if (server != null) {
                try {
                    server.close();
                } catch (Exception e) {
                    System.err.println("sift: could not release the embedded PostgreSQL: " + e.getMessage());
                }
            }
        }, "sift-shutdown"));
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v;
    }
}
