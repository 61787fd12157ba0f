package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.bench.AlignmentBenchmark;
import dev.sift.history.Table;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift bench alignment}: {@link AlignmentBenchmark}. */
@Command(name = "alignment", description = "Output alignments g . dM(x_i)/dtheta over all parameters of the "
        + "hashed model or MiniLM (full): a central difference along the loss gradient g against one-sample-at-a-time autograd; "
        + "prints times, ratio and the largest relative difference.")
public class AlignmentBenchCommand implements Callable<Integer> {
    @Option(names = "--batch", defaultValue = "32", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--samples", description = "samples measured (default: 640 for hashed, 64 for minilm)")
    Integer samples;

    @Option(names = "--model", defaultValue = "hashed", description = "hashed (4096 buckets, trained two epochs) or "
            + "minilm (MiniLM-L6, every parameter, pretrained weights) (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--max-length", defaultValue = "32", description = "minilm: tokens per pair (default: "
            + "${DEFAULT-VALUE})")
    int maxLength;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        SiftException.atLeast("--batch", batch, 1);
        SiftException.atLeast("--samples", samples == null ? 1 : samples, 1);
        if (model.equals("minilm")) {
            SiftException.atLeast("--max-length", maxLength, 2);
        }
        AlignmentBenchmark.Result r = switch (model) {
            case "hashed" -> AlignmentBenchmark.run(batch, samples == null ? 640 : samples);
            case "minilm" -> AlignmentBenchmark.runMiniLm(batch, samples == null ? 64 : samples, maxLength);
            default -> throw SiftException.usage("--model: expected hashed or minilm, got " + model);
        };
        Table t = new Table(List.of("step", "samples", "seconds"));
        t.add("loss gradient g, batch " + r.batch() + " (both need it)", r.samples(), r.gradientSeconds());
        t.add("central difference, 2 forward passes, batch " + r.batch(), r.samples(), r.differenceSeconds());
        t.add("per-sample autograd loop", r.samples(), r.loopSeconds());
        System.out.print(t.text());
        System.out.printf("total: central difference %.3f s, per-sample loop %.3f s; speed-up %.1fx (%.1fx without "
                + "g); eps %.3g; largest relative difference %.2g%n", r.differenceTotalSeconds(),
                r.loopTotalSeconds(), r.speedUp(), r.speedUpAfterGradient(), r.eps(), r.largestRelativeDifference());
        return ExitCodes.OK;
    }
}
