package dev.sift.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A HuggingFace-compatible BERT encoder (post-LayerNorm: word + position + token-type embeddings, LayerNorm;
 * then per layer self-attention, residual, LayerNorm, GELU feed-forward, residual, LayerNorm). Parameters carry
 * the HuggingFace tensor names, so checkpoints load by name. DJL's own BertBlock is a different architecture
 * (BatchNorm, other residuals) and cannot take these weights.
 *
 * <p>Input: token ids [B, T], token type ids [B, T], attention mask [B, T] (1 = token, 0 = padding), all
 * int64. Output: the last hidden states [B, T, H].
 */
public final class BertEncoder extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final String[] LINEARS = {"attention.self.query", "attention.self.key", "attention.self.value",
        "attention.output.dense", "intermediate.dense", "output.dense"};

    private final BertConfig config;
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Shape> shapes = new LinkedHashMap<>();

    public BertEncoder(BertConfig config) {
        super(VERSION);
        this.config = config;
        int h = config.hidden();
        weight("embeddings.word_embeddings.weight", new Shape(config.vocabSize(), h));
        weight("embeddings.position_embeddings.weight", new Shape(config.maxPositions(), h));
        weight("embeddings.token_type_embeddings.weight", new Shape(config.typeVocab(), h));
        norm("embeddings.LayerNorm", h);
        for (int l = 0; l < config.layers(); l++) {
            String p = "encoder.layer." + l + ".";
            for (String lin : LINEARS) {
                int out = lin.equals("intermediate.dense") ? config.intermediate() : h;
                int in = lin.equals("output.dense") ? config.intermediate() : h;
                weight(p + lin + ".weight", new Shape(out, in));
                bias(p + lin + ".bias", out);
            }
            norm(p + "attention.output.LayerNorm", h);
            norm(p + "output.LayerNorm", h);
        }
    }

    public BertConfig config() {
        return config;
    }

    /** The tensor names and shapes this architecture needs. */
    public Map<String, Shape> expectedShapes() {
        return java.util.Collections.unmodifiableMap(shapes);
    }

    /** Parameters by HuggingFace tensor name, in a stable order. */
    public Map<String, Parameter> namedParameters() {
        return params;
    }

    // shapes are kept aside, not given to the Parameter: a Parameter with a shape refuses a loaded array
    private void add(String name, Parameter.Type type, Shape shape) {
        params.put(name, addParameter(Parameter.builder().setName(name).setType(type).build()));
        shapes.put(name, shape);
    }

    private void weight(String name, Shape shape) {
        add(name, Parameter.Type.WEIGHT, shape);
    }

    private void bias(String name, int size) {
        add(name, Parameter.Type.BIAS, new Shape(size));
    }

    private void norm(String prefix, int size) {
        add(prefix + ".weight", Parameter.Type.GAMMA, new Shape(size));
        add(prefix + ".bias", Parameter.Type.BETA, new Shape(size));
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        for (var e : params.entrySet()) {
            if (!e.getValue().isInitialized() && e.getValue().getShape() == null) {
                e.getValue().setShape(shapes.get(e.getKey()));
            }
        }
    }

    private NDArray p(ParameterStore ps, NDArray on, String name, boolean training) {
        return ps.getValue(params.get(name), on.getDevice(), training);
    }

    private NDArray layerNorm(ParameterStore ps, NDArray x, String prefix, boolean training) {
        NDArrayEx ex = x.getNDArrayInternal();
        return ex.layerNorm(x, new Shape(config.hidden()), p(ps, x, prefix + ".weight", training),
                p(ps, x, prefix + ".bias", training), config.layerNormEps()).singletonOrThrow();
    }

    /**
     * {@code x W^T + b} over the last axis. The leading axes are folded into one first, so that libtorch runs one
     * fused {@code addmm} (bias added inside the matrix multiply), as PyTorch's own {@code F.linear} does for a
     * contiguous 3-D input. DJL's linear goes through libtorch's C++ {@code torch::nn::functional::linear}, which for
     * 3-D input runs {@code matmul} and then a separate in-place bias add: one more pass over every output and one
     * more parallel region per layer (README, "bench model"). The result is the same.
     */
    private NDArray linear(ParameterStore ps, NDArray x, String prefix, boolean training) {
        Shape shape = x.getShape();
        NDArray flat = shape.dimension() == 2 ? x : x.reshape(-1, shape.get(shape.dimension() - 1));
        NDArray y = flat.getNDArrayInternal().linear(flat, p(ps, x, prefix + ".weight", training),
                p(ps, x, prefix + ".bias", training)).singletonOrThrow();
        if (shape.dimension() == 2) {
            return y;
        }
        flat.close();
        return after(y.reshape(shape.slice(0, shape.dimension() - 1).add(y.getShape().get(1))), y);
    }

    /**
     * {@code result}, once the handles {@code used} are closed. Closing frees an array's memory unless something else
     * still holds it: a view of it, or the autograd graph, which keeps what the backward pass needs. So each
     * intermediate of a layer is freed as soon as the next operation has read it, as PyTorch frees a tensor when its
     * last reference goes, and the memory it had is reused, still in cache, by the next operation's output.
     */
    private static NDArray after(NDArray result, NDArray... used) {
        for (NDArray u : used) {
            u.close();
        }
        return result;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> pl) {
        NDArray ids = inputs.get(0);
        NDArray types = inputs.get(1);
        NDArray mask = inputs.get(2);
        long batch = ids.getShape().get(0);
        long len = ids.getShape().get(1);
        NDManager m = ids.getManager();
        NDArrayEx ex = ids.getNDArrayInternal();
        NDArray positions = m.arange(0, (int) len).toType(DataType.INT64, false).reshape(1, len).repeat(0, batch);
        NDArray x = ex.embedding(ids, p(ps, ids, "embeddings.word_embeddings.weight", training), SparseFormat.DENSE)
                .singletonOrThrow()
                .add(ex.embedding(positions, p(ps, ids, "embeddings.position_embeddings.weight", training),
                        SparseFormat.DENSE).singletonOrThrow())
                .add(ex.embedding(types, p(ps, ids, "embeddings.token_type_embeddings.weight", training),
                        SparseFormat.DENSE).singletonOrThrow());
        x = layerNorm(ps, x, "embeddings.LayerNorm", training);
        // additive mask: 0 where there is a token, a large negative number on padding; none for a batch without
        // padding (length-ordered batches mostly are), where adding it would add 0 to every attention score
        NDArray bias = !mask.eq(0).any().getBoolean() ? null
                : mask.toType(DataType.FLOAT32, false).sub(1f).mul(1e9f).reshape(batch, 1, 1, len);
        for (int l = 0; l < config.layers(); l++) {
            x = layer(ps, x, bias, "encoder.layer." + l + ".", training);
        }
        return new NDList(x);
    }

    /**
     * One layer. Its intermediate arrays live in a manager of their own that is closed when the layer is done; only
     * the output joins the input's manager. DJL frees an array only when its manager closes, so without this every
     * intermediate of every layer lived until the caller's batch ended: about 0.7 GB a layer for an inference batch
     * of 256 sequences of 64 tokens (the scores [B, heads, T, T] four times over, the feed-forward [B, T, 4H] twice),
     * 4 GB and more for MiniLM's six. In training, closing a handle drops DJL's reference only: the autograd graph
     * holds its own to what the backward pass needs (libtorch-owned tensors all: a number inside the graph goes
     * through {@link Scalars}), so what the backward pass does not need is freed a layer later instead of a step
     * later, and what it does need is freed as the backward pass goes, as in PyTorch. That also keeps the memory a
     * step uses mapped and warm for the next step: with every array of a step freed at its end, glibc handed the
     * memory back and each step page-faulted its activations afresh (README, "bench model").
     */
    private NDArray layer(ParameterStore ps, NDArray input, NDArray bias, String pre, boolean training) {
        NDManager outer = input.getManager();
        try (NDManager scope = outer.newSubManager()) {
            input.tempAttach(scope); // back to the outer manager when the scope closes
            NDArray x = layerOps(ps, input, bias, pre, training);
            x.attach(outer);
            return x;
        }
    }

    /**
     * The layer's operations; every intermediate is closed once read ({@link #after}), the input and the mask's
     * {@code bias} (null: no padding) are not.
     */
    private NDArray layerOps(ParameterStore ps, NDArray x, NDArray bias, String pre, boolean training) {
        long batch = x.getShape().get(0);
        long len = x.getShape().get(1);
        int heads = config.heads();
        int dh = config.hidden() / heads;
        NDArray q = split(linear(ps, x, pre + "attention.self.query", training), batch, len, heads, dh);
        NDArray k = split(linear(ps, x, pre + "attention.self.key", training), batch, len, heads, dh);
        NDArray v = split(linear(ps, x, pre + "attention.self.value", training), batch, len, heads, dh);
        NDArray kt = after(k.transpose(0, 1, 3, 2), k);
        NDArray qk = after(q.matMul(kt), q, kt);
        // the scale as a libtorch-owned tensor: autograd keeps it for the backward pass (Scalars)
        NDArray scale = Scalars.of(qk, 1.0 / Math.sqrt(dh));
        NDArray scaled = after(qk.mul(scale), qk, scale);
        NDArray scores = bias == null ? scaled : after(scaled.add(bias), scaled);
        NDArray probs = after(scores.softmax(-1), scores);
        NDArray ctx = after(probs.matMul(v), probs, v);
        NDArray byToken = after(ctx.transpose(0, 2, 1, 3), ctx);
        NDArray merged = after(byToken.reshape(batch, len, config.hidden()), byToken);
        NDArray attended = after(linear(ps, merged, pre + "attention.output.dense", training), merged);
        NDArray y = norm(ps, after(x.add(attended), attended), pre + "attention.output.LayerNorm", training);
        NDArray inter = linear(ps, y, pre + "intermediate.dense", training);
        NDArray act = after(inter.getNDArrayInternal().gelu(), inter);
        NDArray out = after(linear(ps, act, pre + "output.dense", training), act);
        return norm(ps, after(after(y.add(out), out), y), pre + "output.LayerNorm", training);
    }

    /** {@link #layerNorm} of {@code x}, which is closed once read. */
    private NDArray norm(ParameterStore ps, NDArray x, String prefix, boolean training) {
        return after(layerNorm(ps, x, prefix, training), x);
    }

    /** [B, T, H] to [B, heads, T, dh], closing {@code x}'s handle (the view keeps its memory). */
    private static NDArray split(NDArray x, long batch, long len, int heads, int dh) {
        NDArray r = after(x.reshape(batch, len, heads, dh), x);
        return after(r.transpose(0, 2, 1, 3), r);
    }

    /** Mean of the hidden states over real tokens: [B, T, H] and mask [B, T] to [B, H]. */
    public static NDArray meanPool(NDArray hidden, NDArray mask) {
        NDArray m = mask.toType(DataType.FLOAT32, false).expandDims(2);
        return hidden.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1e-9f));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.hidden())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no child blocks: parameters have fixed shapes and are initialised by AbstractBlock
    }

    /** Copies named tensors into the parameters; fails naming the first missing or mismatched tensor. */
    public void load(NDManager manager, Map<String, NamedTensor> tensors) {
        for (var e : params.entrySet()) {
            NamedTensor t = tensor(tensors, e.getKey(), shapes.get(e.getKey()));
            if (e.getValue().isInitialized()) {
                e.getValue().getArray().set(java.nio.FloatBuffer.wrap(t.values()));
            } else {
                NDArray a = manager.create(t.values(), new Shape(t.shape()));
                a.setName(e.getKey());
                e.getValue().setArray(a);
            }
        }
    }

    /** The tensor {@code name} of {@code tensors}, of shape {@code want}; fails naming it if missing or mis-shaped. */
    static NamedTensor tensor(Map<String, NamedTensor> tensors, String name, Shape want) {
        NamedTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("checkpoint has no tensor " + name);
        }
        Shape got = new Shape(t.shape());
        if (!want.equals(got)) {
            throw new IllegalArgumentException("tensor " + name + " has shape " + got + ", the model expects " + want);
        }
        return t;
    }
}
