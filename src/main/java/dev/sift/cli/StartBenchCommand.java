package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.bench.StartBenchmark;
import dev.sift.history.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift bench start}: {@link StartBenchmark}. */
@Command(name = "start", description = "CLI start: launches the packaged jar N times plain, with the AppCDS archive, "
        + "with the archive and C1 only (./sift), and that with -Dsift.full-start=true (./sift before commands "
        + "without a database skipped Hibernate ORM), interleaved; prints the median wall times, their ratio to plain "
        + "and the load average before and after. Creates the archive from a full --help run when it is missing.")
public class StartBenchCommand implements Callable<Integer> {
    @Mixin
    VerboseOption verbose;

    @Option(names = "--runs", defaultValue = "5", description = "starts per variant (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--command", description = "what each start runs, split at spaces (default: --help; "
            + "`runs list` needs the database of SIFT_HOME or SIFT_DB_URL)")
    String command;

    @Option(names = "--archive", description = "AppCDS archive (default: sift-cds.jsa beside quarkus-run.jar, "
            + "as ./sift uses it)")
    Path archive;

    @Override
    public Integer call() {
        if (runs < 1) {
            throw SiftException.usage("--runs must be at least 1");
        }
        String what = command == null || command.isBlank() ? "--help" : command.trim();
        List<String> args = Arrays.asList(what.split("\\s+"));
        try { // a command sift would refuse is timed as its refusal: say so before launching anything
            SiftApplication.commandLine(picocli.CommandLine.defaultFactory()).parseArgs(args.toArray(new String[0]));
        } catch (picocli.CommandLine.ParameterException e) {
            throw SiftException.usage("--command '" + what + "': " + SiftApplication.oneLine(e).substring(6));
        }
        if (archive != null && !Files.isDirectory(archive.toAbsolutePath().getParent())) {
            throw SiftException.usage("--archive " + archive + ": its folder does not exist");
        }
        Path jar = Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]).toAbsolutePath();
        if (!jar.getFileName().toString().equals("quarkus-run.jar") || !Files.isRegularFile(jar)) {
            throw new SiftException(ExitCodes.ENVIRONMENT, "bench start needs the packaged jar (./sift), not " + jar);
        }
        Path cds = archive != null ? archive : jar.resolveSibling("sift-cds.jsa");
        StartBenchmark.Result r = StartBenchmark.run(jar, cds, args, runs);
        double plain = r.timings().get(0).median();
        Table t = new Table(List.of("variant", "median_s", "vs_plain", "runs_s"));
        for (StartBenchmark.Timing timing : r.timings()) {
            t.add(timing.variant().name(), String.format("%.2f", timing.median()),
                    String.format("%.2f", timing.median() / plain), Arrays.stream(timing.seconds())
                            .mapToObj(s -> String.format("%.2f", s)).collect(Collectors.joining(" ")));
        }
        System.out.printf("sift %s, %d runs per variant, interleaved; archive %s%s%n", what, runs, r.archive(),
                r.created() ? " (created by this run from --help)" : "");
        System.out.println("load before: " + r.loadBefore());
        System.out.print(t.text());
        System.out.println("load after:  " + r.loadAfter());
        return ExitCodes.OK;
    }
}
