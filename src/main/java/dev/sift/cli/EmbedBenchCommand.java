package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.bench.EmbedBenchmark;
import dev.sift.bench.NoiseBenchmark;
import dev.sift.data.Ingestor;
import dev.sift.data.KeyedHasher;
import dev.sift.data.Sample;
import dev.sift.history.Table;
import dev.sift.model.Checkpoint;
import dev.sift.workflow.WorkflowException;
import dev.sift.workflow.WorkflowParser;
import dev.sift.workflow.WorkflowSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift bench embed}: {@link EmbedBenchmark} on a workflow's queries and titles. */
@Command(name = "embed", description = "Sentence embeddings with the shipped MiniLM-L6 of a workflow's distinct "
        + "queries and titles (the zero-shot baseline's and frozen heads' pass), batched in file order (before) and "
        + "by length (now), in alternating rounds; prints texts/s per round, the median ratio, the largest "
        + "difference between the two ways' vectors and the load average. No database.")
public class EmbedBenchCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "WORKFLOW.yaml", description = "workflow whose data to "
            + "read (default: a generated shop)")
    Path workflow;

    @Option(names = "--texts", defaultValue = "2000", description = "distinct texts, the first in file order "
            + "(default: ${DEFAULT-VALUE})")
    int texts;

    @Option(names = "--rounds", defaultValue = "3", description = "alternating rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws IOException {
        if (texts < 1 || rounds < 1) {
            throw SiftException.usage("bench embed needs --texts and --rounds of at least 1");
        }
        WorkflowSpec spec;
        try {
            spec = workflow == null ? WorkflowParser.parse("bench", "name: bench\ndataset:\n  generate: {rows: "
                    + Math.max(100, texts) + "}\n", null, Map.of(), false).spec()
                    : WorkflowParser.parseFile(workflow, Map.of()).spec();
        } catch (WorkflowException e) {
            e.errors().forEach(System.err::println);
            return ExitCodes.USAGE;
        }
        if (spec.task().recommendation()) {
            // interactions are read with their items file by the recommendation stages, not as query-product pairs
            throw SiftException.usage(workflow + ": bench embed reads a workflow's query and product texts; a "
                    + "recommendation task has interactions and an items file instead");
        }
        if (!spec.dataset().isGenerated() && spec.dataset().path().startsWith("s3://")) {
            throw SiftException.usage(workflow + ": bench embed reads local or generated data, not "
                    + spec.dataset().path());
        }
        List<Sample> samples = new Ingestor(spec.dataset().withNoise(null), spec.task(), spec.split(),
                new KeyedHasher("bench-embed-key-not-secret".getBytes(StandardCharsets.UTF_8)))
                .read(new ByteArrayInputStream(NoiseBenchmark.source(spec.dataset())), "bench").samples();
        Set<String> distinct = new LinkedHashSet<>();
        for (Sample s : samples) {
            distinct.add(s.query());
            distinct.add(s.title());
        }
        if (distinct.isEmpty()) {
            throw SiftException.usage((workflow == null ? "bench" : workflow.toString()) + ": no valid rows, so no "
                    + "texts to embed (sift validate and sift run say why rows are refused)");
        }
        List<String> list = new ArrayList<>(distinct).subList(0, Math.min(texts, distinct.size()));
        int maxLength = spec.model().maxLength();
        EmbedBenchmark.Result r = EmbedBenchmark.run(Checkpoint.miniLm(), list, maxLength, rounds);
        System.out.printf("MiniLM-L6, %d distinct texts, max length %d tokens, batch 64, %d rounds%n", r.texts(),
                maxLength, rounds);
        Table t = new Table(List.of("order", "texts_per_s_by_round", "median"));
        // the median as the rounds are shown (a probe's 4.73 per second read as a median of 5)
        t.add("file (before)", join(r.fileOrder()), join(new double[] {EmbedBenchmark.Result.median(r.fileOrder())}));
        t.add("by length (now)", join(r.byLength()), join(new double[] {EmbedBenchmark.Result.median(r.byLength())}));
        System.out.print(t.text());
        System.out.printf("ratio by length / file: median %.2f (rounds: %s); largest difference %.2e%n"
                + "load before: %s%nload after:  %s%n", EmbedBenchmark.Result.median(r.ratios()), join(r.ratios()),
                r.maxDifference(), r.loadBefore(), r.loadAfter());
        return ExitCodes.OK;
    }

    private static String join(double[] v) {
        return Arrays.stream(v).mapToObj(x -> String.format(x < 10 ? "%.2f" : "%.0f", x))
                .collect(Collectors.joining(" "));
    }
}
