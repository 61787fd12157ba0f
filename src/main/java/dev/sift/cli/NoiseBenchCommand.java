package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.bench.NoiseBenchmark;
import dev.sift.history.Table;
import dev.sift.importance.ImportanceMethods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift bench noise}: {@link NoiseBenchmark}. */
@Command(name = "noise", description = "Flip a fraction of the training labels to an adjacent grade, train the "
        + "hashed bag-of-words model, and report per importance method how well its ranking finds the flipped "
        + "samples: AUROC, precision among the top m (m = number flipped; equals F1 there), wall time.")
public class NoiseBenchCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "CSV with query, product_title, "
            + "product_description, median_relevance columns (CrowdFlower's), grades 1-4")
    Path data;

    @Option(names = "--noise", defaultValue = "0.2", description = "fraction flipped (default: ${DEFAULT-VALUE})")
    double noise;

    @Option(names = "--seeds", defaultValue = "3", description = "seeds 1..N (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--epochs", defaultValue = "5", description = "training epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--model", defaultValue = "hashed-bow", description = "hashed-bow, or minilm-head (frozen "
            + "all-MiniLM-L6-v2 embeddings, MLP head) (default: ${DEFAULT-VALUE})")
    String modelKind;

    @Option(names = "--cross-fit", defaultValue = "5", paramLabel = "K", description = "K >= 2 models on "
            + "query-grouped folds of the training split give every sample an out-of-fold prediction (oof_loss; "
            + "label_quality then uses them); 0 = off (default: ${DEFAULT-VALUE})")
    int crossFit;

    @Option(names = "--ensemble", split = ",", paramLabel = "METHOD", description = "members of the ensemble row "
            + "(default: tracin,knn_shapley,confidence)")
    List<String> ensemble;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(data)) {
            throw SiftException.usage(data + ": no such file");
        }
        NoiseBenchmark.ModelKind model = NoiseBenchmark.ModelKind.byKey(modelKind).orElseThrow(() ->
                SiftException.usage("--model must be hashed-bow or minilm-head, got '" + modelKind + "'"));
        if (crossFit < 0 || crossFit == 1) {
            throw SiftException.usage("--cross-fit must be 0 (off) or at least 2, got " + crossFit);
        }
        if (ensemble != null) {
            for (String m : ensemble) {
                if (ImportanceMethods.find(m).isEmpty() || m.equals("ensemble")) {
                    throw SiftException.usage("--ensemble: unknown member '" + m + "'; known: "
                            + String.join(", ", ImportanceMethods.names()));
                }
            }
        }
        NoiseBenchmark.Result result = NoiseBenchmark.run(new NoiseBenchmark.Options(data, noise, seeds, epochs,
                model, crossFit, ensemble), System.err::println);
        // flagging the top m (m = number flipped) makes precision, recall and F1 the same number
        Table t = new Table(List.of("method", "auroc_mean", "auroc_sd", "f1_mean", "f1_sd",
                "precision_at_noise_count", "score_ms"));
        for (NoiseBenchmark.MethodSummary m : result.methods()) {
            t.add(m.method(), m.aurocMean(), m.aurocSd(), m.precisionMean(), m.precisionSd(), m.precisionMean(),
                    m.scoreMillis());
        }
        System.out.print(output.render(t));
        return ExitCodes.OK;
    }
}
