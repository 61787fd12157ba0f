package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import picocli.CommandLine;

/**
 * {@code sift bench model} without Quarkus: the same command on a thin class path (Sift's classes, DJL's API,
 * PyTorch engine and JNI jars, picocli, Jackson), for a machine that has a GPU and a CUDA libtorch but no room
 * or reason for the whole application: {@code tools/gpu-bench.sh} runs it there (README, GPU). The benchmark
 * touches neither the database nor S3. Errors are one line, as under {@code sift}: a refusal with its exit code,
 * anything else with exit code 1; the stack trace only with {@code --verbose}.
 */
public final class ModelBenchMain {
    private ModelBenchMain() {
    }

    public static void main(String[] args) {
        Integer refused = EngineStart.refusal();
        if (refused != null) {
            System.exit(refused);
        }
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        CommandLine cl = new CommandLine(new ModelBenchCommand());
        cl.getCommandSpec().mixinStandardHelpOptions(true); // -h and --help, which sift's root command gives it there
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (verbose) {
                e.printStackTrace();
            }
            if (e instanceof SiftException se) {
                System.err.println("sift: " + se.getMessage());
                return se.exitCode();
            }
            System.err.println("sift: error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        });
        System.exit(cl.execute(args));
    }
}
