package dev.sift.bench;

import dev.sift.SiftException;
import dev.sift.data.Ingestor;
import dev.sift.data.KeyedHasher;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.data.TaskSpec;
import dev.sift.evaluation.NoiseDetection;
import dev.sift.importance.GradientSimilarity;
import dev.sift.importance.ImportanceMethod;
import dev.sift.importance.ImportanceMethods;
import dev.sift.importance.Need;
import dev.sift.importance.ScoringInput;
import dev.sift.model.CrossFit;
import dev.sift.model.EncodedPairs;
import dev.sift.model.GhostGradNorms;
import dev.sift.model.ModelSpec;
import dev.sift.model.OutputAlignment;
import dev.sift.model.Predictions;
import dev.sift.model.RelevanceTrainer;
import dev.sift.model.Targets;
import dev.sift.model.ScoringCheckpoint;
import dev.sift.model.TrainSpec;
import dev.sift.model.TrainingDynamics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** One seed of {@link NoiseBenchmark}: read and flip, train, score the training split with every method. */
final class NoiseRun {
    // the key only has to be fixed: nothing personal is hashed in a benchmark
    private static final byte[] HASH_KEY = "benchmark-key-not-secret".getBytes(StandardCharsets.UTF_8);

    private NoiseRun() {
    }

    /** The rows of one seed, and how many training labels were noisy (flipped, or flagged by the source). */
    record Outcome(List<NoiseBenchmark.Row> rows, int train, int flipped, int noisy) {
    }

    /**
     * Says on seed 1 what the read left out; refuses data with no training row or no noisy label (nothing to
     * detect); returns the count of noisy training labels.
     */
    private static int check(NoiseBenchmark.Setup setup, long seed, Ingestor.Result read, Data data,
            java.util.function.Consumer<String> said) {
        String left = read(read, setup.sourceName() + (setup.dataset().given() == null ? ""
                : " and the files of its given split"));
        if (seed == 1 && left != null && !read.samples().isEmpty()) {
            said.accept(left + "; every seed measures the " + read.samples().size() + " kept"); // said once
        }
        if (data.train().length == 0) {
            throw SiftException.usage(setup.sourceName() + ": no training rows to flip (" + (left == null
                    ? read.rowsRead() + " rows read" : left) + ")");
        }
        if (data.utility().length == 0) { // what the value methods read (utility, else validation) has no query
            long queries = read.samples().stream().map(Sample::group).distinct().count();
            throw SiftException.usage(setup.sourceName() + ": only " + queries + " distinct "
                    + (queries == 1 ? "query" : "queries") + " among " + read.samples().size() + " valid rows: too few "
                    + "to split by query; " + (setup.split().utility() > 0 ? "validation and utility" : "validation")
                    + " would be empty. Use data with more queries");
        }
        int noisy = 0;
        for (boolean b : data.noisy()) {
            noisy += b ? 1 : 0;
        }
        if (noisy == 0) { // a probe's --noise 0 trained every model and printed a table of NaN
            throw SiftException.usage("nothing to detect: no training label of seed " + seed + " is noisy (the "
                    + "noise fraction " + setup.noise().fraction() + " of " + data.train().length + " training rows "
                    + "rounds to no flip, and the data marks none with a noise_flag column); give --noise a larger "
                    + "fraction");
        }
        return noisy;
    }

    /**
     * One line on the rows the read left out, as a run's ingest says it: how many of how many, by reason, the first
     * with its line and field, and the encoding the rows look like; null where every row was kept.
     */
    static String read(Ingestor.Result r, String source) {
        if (r.quarantined().isEmpty() && r.duplicates() == 0 && r.encodingAdvice() == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (!r.quarantined().isEmpty()) {
            String reasons = r.quarantined().stream().collect(java.util.stream.Collectors.groupingBy(
                    dev.sift.data.Quarantined::kind, java.util.TreeMap::new, java.util.stream.Collectors.counting()))
                    .entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", "));
            parts.add(r.quarantined().size() + " left out (" + reasons + "; the first: "
                    + r.quarantined().get(0).describe(source) + ")");
        }
        if (r.duplicates() > 0) {
            parts.add(r.duplicates() + " exact duplicates removed");
        }
        if (r.encodingAdvice() != null) {
            parts.add(r.encodingAdvice());
        }
        return "read " + r.rowsRead() + " rows of " + source + ": " + String.join("; ", parts);
    }

    /** The samples with their labels flipped, the training and scoring-utility indices, targets, noisy flags. */
    private record Data(List<Sample> samples, int[] train, int[] validation, int[] utility, Targets targets,
            boolean[] noisy) {
        int[] classes(int[] which) {
            int[] c = new int[which.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = targets.classes()[which[i]];
            }
            return c;
        }

        float[] values(int[] which) {
            float[] v = new float[which.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = targets.values()[which[i]];
            }
            return v;
        }
    }

    /**
     * @param trainers a trainer of the setup's model on one seed's samples
     * @param said hears, on seed 1 before anything trains, what reading the data left out ({@link #read})
     */
    static Outcome run(NoiseBenchmark.Setup setup, long seed, Function<List<Sample>, RelevanceTrainer> trainers,
            NoiseBenchmark.Scoring scoring, java.util.function.Consumer<String> said) throws IOException {
        Ingestor ingestor = new Ingestor(setup.dataset().withNoise(setup.noise().withSeed(setup.noise().seed() + seed
                - 1)), setup.task(), setup.split(), new KeyedHasher(HASH_KEY));
        Ingestor.Result read;
        try {
            read = setup.dataset().given() == null
                    ? ingestor.read(new ByteArrayInputStream(setup.source()), setup.sourceName())
                    : readGiven(setup, ingestor);
        } catch (IllegalArgumentException e) { // too few queries for the split: said as ingest says it, exit 2
            throw SiftException.usage(setup.sourceName() + ": " + e.getMessage());
        }
        Data data = data(read.samples(), setup.task());
        int noisy = check(setup, seed, read, data, said);
        TaskSpec task = setup.task();
        ModelSpec model = setup.model();
        RelevanceTrainer trainer = trainers.apply(data.samples())
                .withEpochScorer(GradientSimilarity.EPOCH_TRACIN, data.utility());
        TrainSpec t = setup.train();
        TrainSpec seeded = new TrainSpec(t.epochs(), t.batchSize(), t.learningRate(), t.seed() + seed - 1,
                t.weightDecay(), t.warmup(), t.clipNorm(), t.patience(), TrainSpec.DeviceChoice.CPU);
        Map<Need, Long> needMillis = new EnumMap<>(Need.class);
        List<ScoringInput> inputs = new ArrayList<>();
        for (int j = 0; j < scoring.scoreSeeds(); j++) {
            // scoring seed j trains from its own initialisation, 100 apart from the next noise seed's
            inputs.addAll(scoringInputs(trainer, data, model, task, setup.kind(),
                    seeded.withSeed(seeded.seed() + 100L * j), scoring.checkpoint(), needMillis));
        }
        ScoringInput input = inputs.get(0);
        Set<Need> provides = EnumSet.allOf(Need.class);
        if (input.fullGradientNorms() == null) {
            provides.remove(Need.FULL_GRADIENTS);
        }
        if (input.outputAlignments() == null) {
            provides.remove(Need.OUTPUT_ALIGNMENT);
        }
        if (scoring.crossFit() >= 2) {
            String[] groups = Arrays.stream(data.train()).mapToObj(i -> data.samples().get(i).group())
                    .toArray(String[]::new);
            CrossFit.Result oof;
            try {
                oof = CrossFit.run(trainer.withoutEpochScorer(), trainer.initialWeights(seeded.seed()), data.targets(),
                        data.train(), groups, data.validation(), seeded, scoring.crossFit(), CrossFit.Listener.NONE);
            } catch (IllegalArgumentException e) { // fewer training queries than folds
                throw SiftException.usage("--cross-fit " + scoring.crossFit() + ": " + e.getMessage()
                        + " (--cross-fit 0 turns it off)");
            }
            needMillis.put(Need.CROSS_FIT, oof.millis());
            inputs.replaceAll(in -> in.withOutOfFold(oof.outOfFold()));
        } else {
            provides.remove(Need.CROSS_FIT);
        }
        double[] labels = Arrays.stream(data.train()).mapToDouble(i -> data.samples().get(i).label()).toArray();
        return new Outcome(score(inputs, task, provides, needMillis, data.noisy(), labels, seed, scoring),
                data.train().length, read.flipped(), noisy);
    }

    /**
     * One scoring model trained with {@code seeded}, and what the methods read of it at each checkpoint
     * {@code checkpoint} picks (one, or every epoch's for {@code mean}).
     */
    private static List<ScoringInput> scoringInputs(RelevanceTrainer trainer, Data data, ModelSpec model,
            TaskSpec task, NoiseBenchmark.ModelKind kind, TrainSpec seeded, ScoringCheckpoint checkpoint,
            Map<Need, Long> needMillis) {
        RelevanceTrainer.TrainResult result = trainer.train(trainer.initialWeights(seeded.seed()), data.targets(),
                data.train(), data.validation(), seeded, RelevanceTrainer.Listener.NONE, checkpoint);
        TrainingDynamics dynamics = result.dynamics().reorder(data.train());
        dynamics = dynamics.firstEpochs(checkpoint.dynamicsEpochs(dynamics.epochs()));
        List<ScoringInput> out = new ArrayList<>();
        for (byte[] w : result.scoringWeights()) {
            out.add(scoringInput(trainer, data, model, task, kind, w, dynamics, needMillis));
        }
        return out;
    }

    private static ScoringInput scoringInput(RelevanceTrainer trainer, Data data, ModelSpec model, TaskSpec task,
            NoiseBenchmark.ModelKind kind, byte[] weights, TrainingDynamics dynamics, Map<Need, Long> needMillis) {
        Predictions p = trainer.predict(weights, data.train());
        Predictions v = trainer.predict(weights, data.utility());
        int[] cls = data.classes(data.train());
        long g0 = System.nanoTime();
        boolean ghost = kind == NoiseBenchmark.ModelKind.HASHED_BOW && task.classification();
        double[] grand = !ghost ? null : GhostGradNorms.compute(weights, EncodedPairs.encode(data.samples(),
                model.buckets()), cls, data.train(), model.dim(), model.hidden(), task.classes(), 256);
        needMillis.merge(Need.FULL_GRADIENTS, (System.nanoTime() - g0) / 1_000_000, Long::sum);
        long a0 = System.nanoTime();
        // a cross-encoder's would take a float64 copy of the encoder and three passes over the pool (one backward)
        double[] alignments = kind == NoiseBenchmark.ModelKind.CROSS_ENCODER ? null
                : OutputAlignment.compute(trainer, weights, data.targets(), data.train(), 256).values();
        needMillis.merge(Need.OUTPUT_ALIGNMENT, (System.nanoTime() - a0) / 1_000_000, Long::sum);
        return new ScoringInput(p, cls, data.values(data.train()), v.hidden(), v.probs(),
                data.classes(data.utility()), dynamics, grand, alignments);
    }

    /**
     * A workflow's given split: the training bytes and the validation, utility and test files it names (local; the
     * command refuses S3), each row in its file's split, the noise on the training rows only, as a run reads them.
     */
    private static Ingestor.Result readGiven(NoiseBenchmark.Setup setup, Ingestor ingestor) throws IOException {
        dev.sift.data.DatasetSpec.Given g = setup.dataset().given();
        List<Ingestor.Part> parts = new java.util.ArrayList<>();
        parts.add(new Ingestor.Part(new ByteArrayInputStream(setup.source()), setup.sourceName(), Split.TRAIN));
        for (Split s : g.splits()) {
            byte[] bytes = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(g.of(s)));
            parts.add(new Ingestor.Part(new ByteArrayInputStream(bytes), g.of(s), s));
        }
        return ingestor.readGiven(parts);
    }

    /** Training and validation by split; the utility split values samples when there is one, else validation. */
    private static Data data(List<Sample> samples, TaskSpec task) {
        int[] train = ofSplit(samples, Split.TRAIN);
        int[] valid = ofSplit(samples, Split.VALIDATION);
        int[] utility = ofSplit(samples, Split.UTILITY);
        boolean[] noisy = new boolean[train.length];
        for (int i = 0; i < train.length; i++) {
            noisy[i] = samples.get(train[i]).noisy();
        }
        return new Data(samples, train, valid, utility.length > 0 ? utility : valid,
                Targets.of(task, samples.stream().mapToDouble(Sample::label).toArray()), noisy);
    }

    private static int[] ofSplit(List<Sample> samples, Split split) {
        return samples.stream().filter(s -> s.split() == split).mapToInt(Sample::index).toArray();
    }

    /** One method's scores of one seed: the given label, whether it is noisy, the score (higher: removed first). */
    private static void writeScores(java.nio.file.Path file, double[] labels, boolean[] noisy, double[] toRemove)
            throws IOException {
        StringBuilder sb = new StringBuilder("label,noisy,score\n");
        for (int i = 0; i < labels.length; i++) {
            sb.append(labels[i]).append(',').append(noisy[i] ? 1 : 0).append(',').append(toRemove[i]).append('\n');
        }
        java.nio.file.Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    /**
     * Every applicable method's ranking against the noisy samples, its "remove" end first; a method's own time plus
     * the time of the model-level inputs it needs (GraNd's norms, the output alignments). Last, the baseline that reads
     * only the given label ({@link NoiseDetection#LABEL_ONLY}).
     */
    private static List<NoiseBenchmark.Row> score(List<ScoringInput> inputs, TaskSpec task, Set<Need> provides,
            Map<Need, Long> needMillis, boolean[] noisy, double[] labels, long seed, NoiseBenchmark.Scoring scoring)
            throws IOException {
        List<NoiseBenchmark.Row> rows = new ArrayList<>();
        for (ImportanceMethod found : ImportanceMethods.applicable(task.type(), provides)) {
            ImportanceMethod method = ImportanceMethods.configured(found.name(), scoring.ensemble());
            if (ImportanceMethods.whyNot(method, task.type(), provides).isPresent()) {
                continue; // an ensemble whose members cannot all run here
            }
            long t0 = System.nanoTime();
            double[] s = new double[inputs.get(0).classes().length];
            for (ScoringInput in : inputs) {
                double[] o = method.score(in);
                for (int i = 0; i < s.length; i++) {
                    s[i] += o[i] / inputs.size();
                }
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // what the method read counts: K cross-fitted trainings for oof_loss and, with them, label_quality
            for (Need n : method.uses()) {
                ms += needMillis.getOrDefault(n, 0L);
            }
            double[] toRemove = method.orientation().toRemove(s);
            NoiseDetection d = NoiseDetection.of(toRemove, noisy, labels);
            if (scoring.scoresOut() != null) {
                writeScores(scoring.scoresOut().resolve("seed-" + seed + "-" + method.name() + ".csv"), labels, noisy,
                        toRemove);
            }
            rows.add(new NoiseBenchmark.Row(method.name(), seed, d.auroc(), d.auprc(), d.f1(), d.aurocWithinLabel(),
                    ms));
        }
        NoiseDetection prior = NoiseDetection.ofLabelOnly(noisy, labels);
        rows.add(new NoiseBenchmark.Row(NoiseDetection.LABEL_ONLY, seed, prior.auroc(), prior.auprc(), prior.f1(),
                prior.aurocWithinLabel(), 0));
        return rows;
    }
}
