package dev.sift.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The ONNX graph (opset 17, protobuf wire format written here, no generated classes) of {@link BertEncoder}'s
 * forward pass for a {@link BertConfig}: the same operations in the same order (embeddings, LayerNorm; per layer
 * self-attention with the additive mask (mask - 1) * 1e9, residual, LayerNorm, erf GELU feed-forward, residual,
 * LayerNorm). Inputs {@code input_ids}, {@code token_type_ids}, {@code attention_mask} (int64 [B, T]); outputs
 * {@code hidden} [B, T, H] and its two poolings, {@code mean} (over real tokens, as {@link BertEncoder#meanPool}) and
 * {@code cls} [B, H]. The weights are initializers named as the encoder's parameters, in PyTorch's [out, in] layout
 * (each linear layer a {@code Gemm} with {@code transB}), whose data is external: the session is handed the tensors
 * ({@link OnnxBert}), so the graph itself holds a few hundred bytes of constants and no weights.
 */
final class OnnxBertGraph {
    static final String IDS = "input_ids";
    static final String TYPES = "token_type_ids";
    static final String MASK = "attention_mask";
    static final String HIDDEN = "hidden";
    static final String MEAN = "mean";
    static final String CLS = "cls";
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private final List<ByteString> nodes = new ArrayList<>();
    private final List<ByteString> constants = new ArrayList<>();
    private final List<ByteString> inputs = new ArrayList<>();
    private int next;

    private OnnxBertGraph() {
    }

    /** The serialized ModelProto of {@code c}'s encoder. */
    static byte[] encoder(BertConfig c) {
        return new OnnxBertGraph().build(c);
    }

    private byte[] build(BertConfig c) {
        int h = c.hidden();
        int dh = h / c.heads();
        inputs.add(valueInfo(IDS, INT64, "batch", "length"));
        inputs.add(valueInfo(TYPES, INT64, "batch", "length"));
        inputs.add(valueInfo(MASK, INT64, "batch", "length"));
        weight("embeddings.word_embeddings.weight", c.vocabSize(), h);
        weight("embeddings.position_embeddings.weight", c.maxPositions(), h);
        weight("embeddings.token_type_embeddings.weight", c.typeVocab(), h);
        String shape = op("Shape", IDS);
        String len = op("Gather", List.of(shape, longs0(1)), Attr.i("axis", 0));
        String positions = op("Range", longs0(0), len, longs0(1));
        String x = op("Add", op("Add", op("Gather", "embeddings.word_embeddings.weight", IDS),
                op("Gather", "embeddings.position_embeddings.weight", positions)),
                op("Gather", "embeddings.token_type_embeddings.weight", TYPES));
        x = layerNorm(c, op("Reshape", x, longs(-1, h)), "embeddings.LayerNorm");
        String bias = op("Unsqueeze", op("Mul", op("Sub", op("Cast", List.of(MASK), Attr.i("to", FLOAT)), floats(1f)),
                floats(1e9f)), longs(1, 2));
        String heads = op("Concat", List.of(shape, longs(c.heads(), dh)), Attr.i("axis", 0));
        for (int l = 0; l < c.layers(); l++) {
            x = layer(c, x, bias, heads, "encoder.layer." + l + ".");
        }
        String out = op("Reshape", x, op("Concat", List.of(shape, longs(h)), Attr.i("axis", 0)));
        nodes.add(node("Identity", List.of(out), HIDDEN, List.of()));
        // the poolings of BertEncoder.meanPool and CrossEncoder: sum(h * mask) / max(sum(mask), 1e-9), and [CLS]
        String m = op("Unsqueeze", op("Cast", List.of(MASK), Attr.i("to", FLOAT)), longs(2));
        String sum = op("ReduceSum", List.of(op("Mul", out, m), longs(1)), Attr.i("keepdims", 0));
        String count = op("Max", op("ReduceSum", List.of(m, longs(1)), Attr.i("keepdims", 0)), floats(1e-9f));
        nodes.add(node("Div", List.of(sum, count), MEAN, List.of()));
        nodes.add(node("Gather", List.of(out, longs0(0)), CLS, List.of(Attr.i("axis", 1))));
        return model(c);
    }

    private String layer(BertConfig c, String x, String bias, String heads, String pre) {
        int h = c.hidden();
        int dh = h / c.heads();
        for (String lin : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
            "attention.output.dense"}) {
            linearWeights(pre + lin, h, h);
        }
        linearWeights(pre + "intermediate.dense", c.intermediate(), h);
        linearWeights(pre + "output.dense", h, c.intermediate());
        String q = op("Transpose", List.of(op("Reshape", linear(x, pre + "attention.self.query"), heads)),
                Attr.ints("perm", 0, 2, 1, 3));
        String kt = op("Transpose", List.of(op("Reshape", linear(x, pre + "attention.self.key"), heads)),
                Attr.ints("perm", 0, 2, 3, 1));
        String v = op("Transpose", List.of(op("Reshape", linear(x, pre + "attention.self.value"), heads)),
                Attr.ints("perm", 0, 2, 1, 3));
        String scores = op("Add", op("Mul", op("MatMul", q, kt), floats((float) (1.0 / Math.sqrt(dh)))), bias);
        String probs = op("Softmax", List.of(scores), Attr.i("axis", -1));
        String ctx = op("Transpose", List.of(op("MatMul", probs, v)), Attr.ints("perm", 0, 2, 1, 3));
        String merged = op("Reshape", ctx, longs(-1, h));
        String y = layerNorm(c, op("Add", x, linear(merged, pre + "attention.output.dense")),
                pre + "attention.output.LayerNorm");
        String inter = linear(y, pre + "intermediate.dense");
        // GELU as libtorch computes it by default: x * 0.5 * (1 + erf(x / sqrt 2))
        String gelu = op("Mul", op("Mul", inter, floats(0.5f)),
                op("Add", op("Erf", op("Mul", inter, floats((float) (1.0 / Math.sqrt(2.0))))), floats(1f)));
        return layerNorm(c, op("Add", y, linear(gelu, pre + "output.dense")), pre + "output.LayerNorm");
    }

    private void linearWeights(String prefix, int out, int in) {
        weight(prefix + ".weight", out, in);
        weight(prefix + ".bias", out);
    }

    private String linear(String x, String prefix) {
        return op("Gemm", List.of(x, prefix + ".weight", prefix + ".bias"), Attr.i("transB", 1));
    }

    private String layerNorm(BertConfig c, String x, String prefix) {
        weight(prefix + ".weight", c.hidden());
        weight(prefix + ".bias", c.hidden());
        return op("LayerNormalization", List.of(x, prefix + ".weight", prefix + ".bias"), Attr.i("axis", -1),
                Attr.f("epsilon", c.layerNormEps()));
    }

    /**
     * A weight: an initializer whose data is external (ONNX's {@code data_location} EXTERNAL), which the session
     * replaces with the encoder's tensor ({@code addExternalInitializers}) before anything reads it.
     */
    private void weight(String name, long... dims) {
        constants.add(message(o -> {
            for (long d : dims) {
                o.writeInt64(1, d);
            }
            o.writeInt32(2, FLOAT);
            o.writeString(8, name);
            o.writeBytes(13, message(kv -> {
                kv.writeString(1, "location");
                kv.writeString(2, "sift-encoder-weights");
            }));
            o.writeEnum(14, 1);
        }));
    }

    private String op(String type, String... in) {
        return op(type, List.of(in));
    }

    private String op(String type, List<String> in, Attr... attrs) {
        String out = "t" + next++;
        nodes.add(node(type, in, out, List.of(attrs)));
        return out;
    }

    private String longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return constant(INT64, new long[] {values.length}, b.array());
    }

    private String longs0(long value) {
        byte[] raw = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        return constant(INT64, new long[0], raw);
    }

    private String floats(float value) {
        byte[] raw = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array();
        return constant(FLOAT, new long[0], raw);
    }

    private String constant(int type, long[] dims, byte[] raw) {
        String name = "c" + next++;
        constants.add(message(o -> {
            for (long d : dims) {
                o.writeInt64(1, d);
            }
            o.writeInt32(2, type);
            o.writeString(8, name);
            o.writeByteArray(9, raw);
        }));
        return name;
    }

    private byte[] model(BertConfig c) {
        ByteString graph = message(o -> {
            for (ByteString n : nodes) {
                o.writeBytes(1, n);
            }
            o.writeString(2, "bert_encoder");
            for (ByteString t : constants) {
                o.writeBytes(5, t);
            }
            for (ByteString i : inputs) {
                o.writeBytes(11, i);
            }
            o.writeBytes(12, valueInfo(HIDDEN, FLOAT, "batch", "length", Integer.toString(c.hidden())));
            o.writeBytes(12, valueInfo(MEAN, FLOAT, "batch", Integer.toString(c.hidden())));
            o.writeBytes(12, valueInfo(CLS, FLOAT, "batch", Integer.toString(c.hidden())));
        });
        return message(o -> {
            o.writeInt64(1, 8); // IR version 8: opset 17
            o.writeString(2, "sift");
            o.writeBytes(7, graph);
            o.writeBytes(8, message(s -> {
                s.writeString(1, "");
                s.writeInt64(2, 17);
            }));
        }).toByteArray();
    }

    /** A tensor's name, element type and dimensions (a number, or a symbolic name). */
    private static ByteString valueInfo(String name, int type, String... dims) {
        ByteString shape = message(o -> {
            for (String d : dims) {
                o.writeBytes(1, message(dim -> {
                    if (Character.isDigit(d.charAt(0))) {
                        dim.writeInt64(1, Long.parseLong(d));
                    } else {
                        dim.writeString(2, d);
                    }
                }));
            }
        });
        ByteString tensor = message(o -> {
            o.writeInt32(1, type);
            o.writeBytes(2, shape);
        });
        return message(o -> {
            o.writeString(1, name);
            o.writeBytes(2, message(t -> t.writeBytes(1, tensor)));
        });
    }

    private static ByteString node(String type, List<String> in, String out, List<Attr> attrs) {
        return message(o -> {
            for (String i : in) {
                o.writeString(1, i);
            }
            o.writeString(2, out);
            o.writeString(3, out);
            o.writeString(4, type);
            for (Attr a : attrs) {
                o.writeBytes(5, a.bytes());
            }
        });
    }

    /** An attribute: an int, a float or a list of ints. */
    private record Attr(String name, int kind, long i, float f, long[] ints) {
        static Attr i(String name, long value) {
            return new Attr(name, 2, value, 0, null);
        }

        static Attr f(String name, float value) {
            return new Attr(name, 1, 0, value, null);
        }

        static Attr ints(String name, long... values) {
            return new Attr(name, 7, 0, 0, values);
        }

        ByteString bytes() {
            return message(o -> {
                o.writeString(1, name);
                switch (kind) {
                    case 1 -> o.writeFloat(2, f);
                    case 2 -> o.writeInt64(3, i);
                    default -> {
                        for (long v : ints) {
                            o.writeInt64(8, v);
                        }
                    }
                }
                o.writeEnum(20, kind);
            });
        }
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static ByteString message(Writer w) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            w.write(out);
            out.flush();
            return ByteString.copyFrom(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
