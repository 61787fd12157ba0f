package dev.sift.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.sift.data.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A BERT-family cross-encoder: {@code [CLS] query [SEP] product [SEP]} through the encoder, pooled (mean over
 * tokens or the [CLS] state), dropout, and a linear head to the grades. Returns (output, pooled vector).
 */
public final class CrossEncoder extends AbstractBlock {
    private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.");
    private static final byte VERSION = 1;

    private final BertEncoder encoder;
    private final Linear head;
    private final boolean clsPooling;
    private final float dropout;

    public CrossEncoder(BertConfig config, int outputs, boolean clsPooling, float dropout) {
        super(VERSION);
        this.encoder = addChildBlock("encoder", new BertEncoder(config));
        this.head = addChildBlock("head", Linear.builder().setUnits(outputs).build());
        this.clsPooling = clsPooling;
        this.dropout = dropout;
    }

    public BertEncoder encoder() {
        return encoder;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray hidden = encoder.forward(ps, inputs, training).singletonOrThrow();
        NDArray pooled = clsPooling ? hidden.get(":, 0, :") : BertEncoder.meanPool(hidden, inputs.get(2));
        return fromPooled(ps, pooled, training);
    }

    /** Whether the head reads the [CLS] token's state (else the mean over real tokens). */
    boolean clsPooling() {
        return clsPooling;
    }

    /**
     * The rest of the forward pass from the pooled states [B, H]: dropout when training, the head. Inference in ONNX
     * Runtime ({@link OnnxBert}, which pools) joins here.
     */
    NDList fromPooled(ParameterStore ps, NDArray pooled, boolean training) {
        NDArray x = training && dropout > 0
                ? pooled.getNDArrayInternal().dropout(pooled, dropout, true).singletonOrThrow() : pooled;
        return new NDList(head.forward(ps, new NDList(x), training).singletonOrThrow(), pooled);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {head.getOutputShapes(new Shape[] {new Shape(b, encoder.config().hidden())})[0],
            new Shape(b, encoder.config().hidden())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), encoder.config().hidden()));
    }

    /**
     * A trainer of {@code cp} fine-tuned as a cross-encoder on [CLS] query [SEP] title. description [SEP] of every
     * sample, in {@code m}'s mode (full, or the last layers and the head), pooling and maximum length.
     */
    public static RelevanceTrainer trainer(Checkpoint cp, ModelSpec m, List<Sample> samples, int k,
            boolean regression, Device device) {
        TokenizedPairs pairs;
        try (TextTokenizer tok = cp.tokenizer(m.maxLength())) {
            pairs = tok.pairs(samples.stream().map(Sample::query).toList(),
                    samples.stream().map(s -> s.description().isEmpty() ? s.title()
                            : s.title() + ". " + s.description()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int layers = cp.config().layers();
        Predicate<String> trainable = m.mode() == ModelSpec.Mode.FULL ? name -> true : name -> {
            if (name.contains("head_")) {
                return true;
            }
            Matcher mm = LAYER.matcher(name);
            return mm.find() && Integer.parseInt(mm.group(1)) >= layers - m.lastLayers();
        };
        return new RelevanceTrainer(() -> new CrossEncoder(cp.config(), k, m.pooling() == ModelSpec.Pooling.CLS, 0.1f),
                pairs, k, regression, trainable, block -> ((CrossEncoder) block).encoder().load(null, cp.weights()),
                device);
    }
}
