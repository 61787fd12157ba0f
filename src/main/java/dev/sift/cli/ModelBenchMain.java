package dev.sift.cli;

import picocli.CommandLine;

/**
 * {@code sift bench model} without Quarkus: the same command on a thin class path (Sift's classes, DJL's API,
 * PyTorch engine and JNI jars, picocli, Jackson), for a machine that has a GPU and a CUDA libtorch but no room
 * or reason for the whole application: {@code tools/gpu-bench.sh} runs it there (README, GPU). The benchmark
 * touches neither the database nor S3.
 */
public final class ModelBenchMain {
    private ModelBenchMain() {
    }

    public static void main(String[] args) {
        try {
            dev.sift.model.LibTorchCheck.check();
        } catch (IllegalArgumentException e) {
            System.err.println("sift: " + e.getMessage());
            System.exit(dev.sift.ExitCodes.ENVIRONMENT);
        }
        System.exit(new CommandLine(new ModelBenchCommand()).execute(args));
    }
}
