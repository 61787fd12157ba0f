package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.IoReason;
import dev.sift.SiftException;
import dev.sift.bench.NoiseBenchmark;
import dev.sift.data.Ingestor;
import dev.sift.data.LabelNoise;
import dev.sift.history.Table;
import dev.sift.importance.ImportanceMethods;
import dev.sift.model.ModelSpec;
import dev.sift.model.ScoringCheckpoint;
import dev.sift.workflow.WorkflowException;
import dev.sift.workflow.WorkflowParser;
import dev.sift.workflow.WorkflowSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift bench noise}: {@link NoiseBenchmark}. */
@Command(name = "noise", description = "Flip a fraction of the training labels, train, and report per importance "
        + "method how well its ranking finds the noisy samples: AUROC, average precision (AUPRC), precision among "
        + "the top m (m = number noisy; equals F1 there), AUROC among samples of the same given label, wall time; "
        + "and the baseline label_only, which reads only the given label. Give a workflow (its dataset, task, split, "
        + "model, fine_tune and dataset.noise, default 20%% adjacent) or --data (CrowdFlower's CSV); no database.")
public class NoiseBenchCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "WORKFLOW.yaml", description = "workflow whose data and "
            + "model to use")
    Path workflow;

    @Option(names = "--set", paramLabel = "PATH=VALUE", converter = SetOverrides.Converter.class,
            description = "override a workflow value (repeatable)")
    void set(java.util.List<SetOverrides.Pair> sets) {
        overrides = SetOverrides.of(sets);
    }

    Map<String, String> overrides = Map.of();

    @Option(names = "--data", description = "CSV with query, product_title, product_description, median_relevance "
            + "columns (CrowdFlower's), grades 1-4; instead of a workflow")
    Path data;

    @Option(names = "--noise", description = "fraction flipped (default: the workflow's dataset.noise, else 0.2)")
    Double noise;

    @Option(names = "--seeds", defaultValue = "3", description = "seeds 1..N (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--epochs", description = "training epochs (default: the workflow's, else 5)")
    Integer epochs;

    @Option(names = "--model", description = "hashed-bow, minilm-head (frozen all-MiniLM-L6-v2 embeddings, MLP "
            + "head), or cross-encoder (the workflow's pretrained encoder fine-tuned, full or last layers; workflows "
            + "only) (default: the workflow's model, else hashed-bow)")
    String modelKind;

    @Option(names = "--cross-fit", defaultValue = "5", paramLabel = "K", description = "K >= 2 models on "
            + "query-grouped folds of the training split give every sample an out-of-fold prediction (oof_loss; "
            + "label_quality then uses them); 0 = off (default: ${DEFAULT-VALUE})")
    int crossFit;

    @Option(names = "--score-seeds", defaultValue = "1", paramLabel = "N", description = "average every method "
            + "over N scoring models from different initialisations (like score.seeds; default ${DEFAULT-VALUE})")
    int scoreSeeds;

    @Option(names = "--checkpoint", paramLabel = "WHICH", description = "which weights of each scoring model score: "
            + "best, final, mean or epoch:K (like score.checkpoint; default: the workflow's, else best)")
    String checkpoint;

    @Option(names = "--ensemble", split = ",", paramLabel = "METHOD", description = "members of the ensemble row "
            + "(default: tracin,knn_shapley,confidence)")
    List<String> ensemble;

    @Option(names = "--scores-out", paramLabel = "DIR", description = "also write every method's per-sample "
            + "scores of every seed to DIR/seed-S-METHOD.csv (label, noisy, score; higher: removed first), for an "
            + "analysis of one's own")
    Path scoresOut;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOption verbose;

    /** {@code --checkpoint}, or best when not given. */
    private ScoringCheckpoint checkpoint() {
        try {
            return checkpoint == null ? ScoringCheckpoint.BEST : ScoringCheckpoint.parse(checkpoint);
        } catch (IllegalArgumentException e) {
            throw SiftException.usage("--checkpoint " + e.getMessage());
        }
    }

    /** The seeds, folds, ensemble members and noise fraction, each refused with one line when out of range. */
    private void checkCounts() {
        SiftException.atLeast("--score-seeds", scoreSeeds, 1);
        SiftException.atLeast("--seeds", seeds, 1);
        if (epochs != null) {
            SiftException.atLeast("--epochs", epochs, 1);
        }
        if (crossFit < 0 || crossFit == 1) {
            throw SiftException.usage("--cross-fit must be 0 (off) or at least 2, got " + crossFit);
        }
        if (ensemble != null) {
            // picocli gives "--ensemble ," as no member at all, or as empty ones
            if (ensemble.stream().allMatch(String::isBlank)) {
                throw SiftException.usage("--ensemble needs at least one method");
            }
            for (String m : ensemble) {
                if (m.equals("ensemble")) {
                    throw SiftException.usage("--ensemble: the ensemble cannot be a member of itself");
                }
                if (ImportanceMethods.find(m).isEmpty()) {
                    throw SiftException.usage("--ensemble: unknown member '" + m + "'; known: " + String.join(", ",
                            ImportanceMethods.names().stream().filter(n -> !n.equals("ensemble")).toList()));
                }
            }
        }
        if (noise != null && !(noise >= 0 && noise < 1)) {
            throw SiftException.usage("--noise must be a fraction in [0, 1), got " + noise);
        }
    }

    @Override
    public Integer call() throws Exception {
        if ((workflow == null) == (data == null)) {
            throw SiftException.usage("bench noise: give a WORKFLOW.yaml or --data CSV (one of them)");
        }
        NoiseBenchmark.ModelKind model = modelKind == null ? null : NoiseBenchmark.ModelKind.byKey(modelKind)
                .orElseThrow(() -> SiftException.usage("--model must be hashed-bow, minilm-head or cross-encoder, "
                        + "got '" + modelKind + "'"));
        checkCounts();
        ScoringCheckpoint which = checkpoint();
        NoiseBenchmark.Setup setup;
        if (data != null) {
            if (overrides != null && !overrides.isEmpty()) {
                throw SiftException.usage("--set changes a workflow's values; --data reads CrowdFlower's columns with "
                        + "fixed settings: give a WORKFLOW.yaml to set " + overrides.keySet().iterator().next());
            }
            if (!Files.isRegularFile(data)) {
                throw SiftException.usage(data + ": no such file");
            }
            if (model == NoiseBenchmark.ModelKind.CROSS_ENCODER) {
                throw SiftException.usage("--model cross-encoder fine-tunes a workflow's pretrained encoder: give "
                        + "the WORKFLOW.yaml (its model and fine_tune sections) instead of --data");
            }
            setup = NoiseBenchmark.setup(new NoiseBenchmark.Options(data, noise == null ? 0.2 : noise, seeds,
                    epochs == null ? 5 : epochs, model == null ? NoiseBenchmark.ModelKind.HASHED_BOW : model));
        } else {
            WorkflowParser.Parsed parsed;
            try {
                parsed = WorkflowParser.parseFile(workflow, overrides);
                which = checkpoint != null ? which : parsed.spec().score().checkpoint();
            } catch (WorkflowException e) {
                e.errors().forEach(System.err::println);
                return ExitCodes.USAGE;
            }
            setup = fromWorkflow(parsed, model);
        }
        if (which.kind() == ScoringCheckpoint.Kind.EPOCH && which.epoch() > setup.train().epochs()) {
            throw SiftException.usage("--checkpoint epoch:" + which.epoch() + " is after the last epoch ("
                    + setup.train().epochs() + ")");
        }
        if (scoresOut != null) {
            try {
                Files.createDirectories(scoresOut);
            } catch (java.io.IOException e) {
                throw SiftException.usage("--scores-out: cannot create " + scoresOut + " (" + IoReason.of(e) + ")");
            }
        }
        NoiseBenchmark.Result result;
        try {
            result = NoiseBenchmark.run(setup, seeds, new NoiseBenchmark.Scoring(crossFit, ensemble, scoreSeeds, which,
                    scoresOut), System.err::println);
        } catch (Ingestor.SchemaException e) {
            throw SiftException.usage(e.getMessage());
        }
        System.out.print(output.render(table(result)));
        return ExitCodes.OK;
    }

    /**
     * The workflow's data, task, split, model, training and noise, with the options that were given on top. The bench
     * ranks every method, tracin and knn_shapley too: their utility split unless the workflow sets one (not for
     * regression, where neither is defined: a probe's bench held 10% of the queries out for no method).
     */
    private NoiseBenchmark.Setup fromWorkflow(WorkflowParser.Parsed parsed, NoiseBenchmark.ModelKind model)
            throws Exception {
        WorkflowSpec spec = parsed.spec();
        dev.sift.data.SplitSpec split = parsed.utilityDefaulted() && spec.task().classification()
                ? spec.split().withUtility(dev.sift.data.SplitSpec.DEFAULT_UTILITY) : spec.split();
        if (spec.task().recommendation()) {
            // interactions have no query-product labels to flip; dataset.noise is refused for them too
            throw SiftException.usage(workflow + ": bench noise flips query-product labels; a recommendation task "
                    + "has interactions instead (graded, binary and regression tasks only)");
        }
        dev.sift.data.DatasetSpec.Given given = spec.dataset().given();
        if (split.utility() == 0 && (given == null || given.utility() == null) && spec.task().classification()) {
            System.err.println("note: split.utility is 0: tracin and knn_shapley value samples against the "
                    + "validation split here (a run refuses them without a utility split)");
        }
        if (!spec.dataset().isGenerated() && spec.dataset().path().startsWith("s3://")) {
            throw SiftException.usage(workflow + ": bench noise reads local or generated data, not "
                    + spec.dataset().path());
        }
        for (dev.sift.data.Split s : given == null ? List.<dev.sift.data.Split>of() : given.splits()) {
            if (given.of(s).startsWith("s3://")) {
                throw SiftException.usage(workflow + ": bench noise reads local or generated data, not "
                        + given.of(s));
            }
        }
        ModelSpec m = spec.model();
        NoiseBenchmark.ModelKind own = !m.pretrained() ? NoiseBenchmark.ModelKind.HASHED_BOW
                : m.mode() != ModelSpec.Mode.HEAD ? NoiseBenchmark.ModelKind.CROSS_ENCODER
                : m.encoder() == ModelSpec.Encoder.MINILM ? NoiseBenchmark.ModelKind.MINILM_HEAD : null;
        NoiseBenchmark.ModelKind kind = model != null ? model : own;
        if (kind == null) {
            throw SiftException.usage(workflow + ": bench noise trains hashed-bow, a head on frozen minilm or the "
                    + "workflow's encoder as a cross-encoder; this workflow's model is " + m.encoder().key() + " "
                    + m.mode().key() + " (choose one with --model)");
        }
        if (kind == NoiseBenchmark.ModelKind.CROSS_ENCODER && own != kind) {
            throw SiftException.usage(workflow + ": --model cross-encoder needs a workflow whose model is a pretrained "
                    + "encoder in mode full or last_layers; this one's is " + m.encoder().key() + " " + m.mode().key());
        }
        if (kind == NoiseBenchmark.ModelKind.CROSS_ENCODER && m.source() != null && m.source().startsWith("s3://")) {
            throw SiftException.usage(workflow + ": bench noise reads a local model.source, not " + m.source());
        }
        LabelNoise.Spec n = spec.dataset().noise() != null ? spec.dataset().noise()
                : new LabelNoise.Spec(0.2, LabelNoise.Kind.ADJACENT, 1);
        if (noise != null) {
            n = new LabelNoise.Spec(noise, n.kind(), n.seed());
        }
        String problem = LabelNoise.problem(spec.task(), n); // adjacent, the default, on a narrow regression range
        if (problem != null) {
            throw SiftException.usage(workflow + ": dataset.noise.kind " + problem + " (set it in the workflow)");
        }
        var t = spec.fineTune();
        var train = epochs == null ? t : new dev.sift.model.TrainSpec(epochs, t.batchSize(), t.learningRate(),
                t.seed(), t.weightDecay(), t.warmup(), t.clipNorm(), t.patience(), t.device());
        String name = spec.dataset().isGenerated() ? "generated" : spec.dataset().path();
        return new NoiseBenchmark.Setup(NoiseBenchmark.source(spec.dataset()), name, spec.dataset().withNoise(null),
                spec.task(), split, kind, m, train, n);
    }

    private static Table table(NoiseBenchmark.Result result) {
        // flagging the top m (m = number noisy) makes precision, recall and F1 the same number
        Table t = new Table(List.of("method", "auroc_mean", "auroc_sd", "auprc_mean", "auprc_sd", "f1_mean", "f1_sd",
                "precision_at_noise_count", "auroc_within_label_mean", "auroc_within_label_sd", "score_ms"));
        for (NoiseBenchmark.MethodSummary m : result.methods()) {
            t.add(m.method(), m.aurocMean(), m.aurocSd(), m.auprcMean(), m.auprcSd(), m.precisionMean(),
                    m.precisionSd(), m.precisionMean(), m.withinLabelMean(), m.withinLabelSd(), m.scoreMillis());
        }
        return t;
    }
}
