package dev.sift.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A BERT encoder's forward pass in ONNX Runtime (CPU), on the weights a {@link BertEncoder} holds at the time it
 * is built: the graph of {@link OnnxBertGraph}, the weights copied once into direct buffers that the session reads
 * in place. Used for inference passes on the CPU (scoring, evaluation, embeddings), where it
 * runs MiniLM-L6 about 1.4 times as fast as DJL's libtorch 2.7.1 (README, "Inference in ONNX Runtime"); training
 * stays in DJL. {@code SIFT_INFERENCE=djl} turns it off ({@link Devices#onnxInference}). Close it: that frees the
 * session and its copy of the weights at once, not at the next collection.
 */
public final class OnnxBert implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<OnnxTensor> weights;
    private final List<ByteBuffer> buffers;
    private final int width;

    /**
     * {@code tensors} are copied into direct buffers that the session reads in place and {@link #close} frees at once
     * (ONNX Runtime's own copy of a heap buffer is a direct buffer too, which only the collector would free).
     */
    private OnnxBert(BertConfig config, Map<String, float[]> tensors, Map<String, Shape> shapes, int threads) {
        weights = new ArrayList<>();
        buffers = new ArrayList<>();
        width = config.hidden();
        OrtSession built = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            env = OrtEnvironment.getEnvironment();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // each pass's activations go back to the system when it ends, not into an arena kept by the session:
            // no slower here (README, "Inference in ONNX Runtime")
            options.setCPUArenaAllocator(false);
            Map<String, OnnxTensorLike> external = new LinkedHashMap<>();
            for (var e : tensors.entrySet()) {
                ByteBuffer b = ByteBuffer.allocateDirect(4 * e.getValue().length).order(ByteOrder.nativeOrder());
                buffers.add(b);
                b.asFloatBuffer().put(e.getValue());
                OnnxTensor t = OnnxTensor.createTensor(env, b.asFloatBuffer(), shapes.get(e.getKey()).getShape());
                weights.add(t);
                external.put(e.getKey(), t);
            }
            options.addExternalInitializers(external);
            built = env.createSession(OnnxBertGraph.encoder(config), options);
        } catch (OrtException | RuntimeException | LinkageError e) {
            release();
            throw new IllegalStateException("ONNX Runtime could not build the encoder's session: " + e
                    + " (" + Devices.INFERENCE + "=djl runs inference in DJL instead)", e);
        }
        session = built;
    }

    /** The ONNX Runtime release that runs the passes. */
    public static String version() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    /** A session on the weights {@code encoder} holds now. */
    public static OnnxBert of(BertEncoder encoder) {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : encoder.namedParameters().entrySet()) {
            tensors.put(e.getKey(), e.getValue().getArray().toFloatArray());
        }
        return new OnnxBert(encoder.config(), tensors, encoder.expectedShapes(), Devices.inferenceThreads());
    }

    /** A session on pretrained {@code weights} (checked against the encoder's names and shapes). */
    public static OnnxBert of(BertConfig config, Map<String, NamedTensor> weights) {
        Map<String, Shape> shapes = new BertEncoder(config).expectedShapes();
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (var e : shapes.entrySet()) {
            tensors.put(e.getKey(), BertEncoder.tensor(weights, e.getKey(), e.getValue()).values());
        }
        return new OnnxBert(config, tensors, shapes, Devices.inferenceThreads());
    }

    /** The last hidden states [B, T, H] of a batch (token ids, token types, attention mask), as an array of m. */
    public NDArray hidden(NDManager m, NDList inputs) {
        long[] shape = inputs.get(0).getShape().getShape();
        return m.create(run(inputs, OnnxBertGraph.HIDDEN), new Shape(shape[0], shape[1], width));
    }

    /**
     * The pooled states [B, H] of a batch: the mean over its real tokens ({@link BertEncoder#meanPool}), or the
     * [CLS] token's state when {@code cls}.
     */
    public float[] pooled(NDList inputs, boolean cls) {
        return run(inputs, cls ? OnnxBertGraph.CLS : OnnxBertGraph.MEAN);
    }

    private float[] run(NDList inputs, String output) {
        long[] shape = inputs.get(0).getShape().getShape();
        try (OnnxTensor ids = longs(inputs.get(0), shape);
                OnnxTensor types = longs(inputs.get(1), shape);
                OnnxTensor mask = longs(inputs.get(2), shape);
                OrtSession.Result r = session.run(Map.of(OnnxBertGraph.IDS, ids, OnnxBertGraph.TYPES, types,
                        OnnxBertGraph.MASK, mask), Set.of(output))) {
            FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] values = new float[out.remaining()];
            out.get(values);
            return values;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of shape " + new Shape(shape) + ": "
                    + e.getMessage(), e);
        }
    }

    private OnnxTensor longs(NDArray a, long[] shape) throws OrtException {
        return OnnxTensor.createTensor(env, LongBuffer.wrap(a.toLongArray()), shape);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        } finally {
            release();
        }
    }

    /** Closes the weight tensors and frees their buffers now (nothing reads them once the session is closed). */
    private void release() {
        weights.forEach(OnnxTensor::close);
        weights.clear();
        buffers.forEach(DirectMemory::free);
        buffers.clear();
    }
}
