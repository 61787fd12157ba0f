package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.bench.KnnShapleyBenchmark;
import dev.sift.history.Table;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift bench knn}: {@link KnnShapleyBenchmark}. */
@Command(name = "knn", description = "Exact KNN-Shapley on random embeddings: the fast path (matrix product, "
        + "primitive sort, parallel) timed on the full size, the plain reference timed on a few validation "
        + "points and scaled; prints both, the ratio and their largest difference on the shared points.")
public class KnnBenchCommand implements Callable<Integer> {
    @Option(names = "--train", defaultValue = "50000", description = "training points (default: ${DEFAULT-VALUE})")
    int train;

    @Option(names = "--valid", defaultValue = "2000", description = "validation points (default: "
            + "${DEFAULT-VALUE})")
    int valid;

    @Option(names = "--dim", defaultValue = "384", description = "embedding size (default: ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--k", defaultValue = "10", description = "neighbours (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--reference-points", defaultValue = "20", description = "validation points the reference "
            + "runs on (default: ${DEFAULT-VALUE})")
    int referencePoints;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        SiftException.atLeast("--train", train, 1);
        SiftException.atLeast("--valid", valid, 2);
        SiftException.atLeast("--dim", dim, 1);
        SiftException.atLeast("--k", k, 1);
        SiftException.atLeast("--reference-points", referencePoints, 1);
        if (referencePoints > valid) {
            throw SiftException.usage("--reference-points " + referencePoints + " is more than --valid " + valid);
        }
        if (k > train) {
            throw SiftException.usage("--k " + k + " is more than --train " + train);
        }
        KnnShapleyBenchmark.Result r = KnnShapleyBenchmark.run(train, valid, dim, k, referencePoints);
        Table t = new Table(List.of("implementation", "train", "valid", "dim", "seconds"));
        t.add("fast (GEMM + primitive sort, " + r.threads() + " threads)", r.train(), r.valid(), r.dim(),
                r.fastSeconds());
        t.add("reference (double loops), measured on " + r.referencePoints() + " points, scaled", r.train(),
                r.valid(), r.dim(), r.referenceSecondsScaled());
        System.out.print(t.text());
        System.out.printf("speed-up %.1fx; largest |fast - reference| on the shared points: %.3g%n", r.speedUp(),
                r.largestDifference());
        return ExitCodes.OK;
    }
}
