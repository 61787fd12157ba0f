package dev.sift.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the float32 initializers (weights) of an ONNX model with protobuf's wire-format reader, no generated
 * classes. Exporters leave linear weights unnamed ({@code onnx::MatMul_123}, stored [in, out]); they are
 * named after the MatMul node that consumes them ({@code /encoder/layer.0/attention/self/query/MatMul} ->
 * {@code encoder.layer.0.attention.self.query.weight}) and transposed to the [out, in] layout of PyTorch.
 */
public final class OnnxInitializers {
    private OnnxInitializers() {
    }

    private record Node(String name, String opType, List<String> inputs) {
    }

    private record RawTensor(String name, long[] dims, int dataType, ByteString raw, List<Float> floats) {
    }

    public static Map<String, NamedTensor> read(byte[] model) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(model);
        in.setSizeLimit(Integer.MAX_VALUE);
        ByteString graph = null;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (tag >>> 3 == 7 && (tag & 7) == 2) {
                graph = in.readBytes();
            } else {
                in.skipField(tag);
            }
        }
        if (graph == null) {
            throw new IOException("not an ONNX model: no graph");
        }
        List<Node> nodes = new ArrayList<>();
        List<RawTensor> raw = new ArrayList<>();
        CodedInputStream g = graph.newCodedInput();
        g.setSizeLimit(Integer.MAX_VALUE);
        while (!g.isAtEnd()) {
            int tag = g.readTag();
            int field = tag >>> 3;
            if (field == 1 && (tag & 7) == 2) {
                nodes.add(node(g.readBytes()));
            } else if (field == 5 && (tag & 7) == 2) {
                raw.add(tensor(g.readBytes()));
            } else {
                g.skipField(tag);
            }
        }
        Map<String, String> matMulWeight = new LinkedHashMap<>();
        for (Node n : nodes) {
            if (n.opType().equals("MatMul") && n.inputs().size() == 2 && n.name().endsWith("/MatMul")) {
                String base = n.name().substring(1, n.name().length() - "/MatMul".length()).replace('/', '.');
                matMulWeight.put(n.inputs().get(1), base + ".weight");
            }
        }
        Map<String, NamedTensor> out = new LinkedHashMap<>();
        for (RawTensor t : raw) {
            if (t.dataType() != 1) {
                continue; // only float32 weights; int64 shape constants are not parameters
            }
            float[] values = values(t);
            String renamed = matMulWeight.get(t.name());
            if (renamed != null && t.dims().length == 2) {
                out.put(renamed, new NamedTensor(renamed, new long[] {t.dims()[1], t.dims()[0]},
                        transpose(values, (int) t.dims()[0], (int) t.dims()[1])));
            } else {
                out.put(t.name(), new NamedTensor(t.name(), t.dims(), values));
            }
        }
        return out;
    }

    private static Node node(ByteString bytes) throws IOException {
        CodedInputStream in = bytes.newCodedInput();
        List<String> inputs = new ArrayList<>();
        String name = "";
        String op = "";
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (tag >>> 3) {
                case 1 -> inputs.add(in.readStringRequireUtf8());
                case 3 -> name = in.readStringRequireUtf8();
                case 4 -> op = in.readStringRequireUtf8();
                default -> in.skipField(tag);
            }
        }
        return new Node(name, op, inputs);
    }

    private static RawTensor tensor(ByteString bytes) throws IOException {
        CodedInputStream in = bytes.newCodedInput();
        in.setSizeLimit(Integer.MAX_VALUE);
        List<Long> dims = new ArrayList<>();
        List<Float> floats = new ArrayList<>();
        int dataType = 0;
        String name = "";
        ByteString raw = ByteString.EMPTY;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = tag >>> 3;
            int wire = tag & 7;
            if (field == 1 && wire == 0) {
                dims.add(in.readInt64());
            } else if (field == 1 && wire == 2) {
                int limit = in.pushLimit(in.readRawVarint32());
                while (in.getBytesUntilLimit() > 0) {
                    dims.add(in.readInt64());
                }
                in.popLimit(limit);
            } else if (field == 2) {
                dataType = in.readInt32();
            } else if (field == 4 && wire == 2) {
                int limit = in.pushLimit(in.readRawVarint32());
                while (in.getBytesUntilLimit() > 0) {
                    floats.add(in.readFloat());
                }
                in.popLimit(limit);
            } else if (field == 4 && wire == 5) {
                floats.add(in.readFloat());
            } else if (field == 8) {
                name = in.readStringRequireUtf8();
            } else if (field == 9) {
                raw = in.readBytes();
            } else {
                in.skipField(tag);
            }
        }
        return new RawTensor(name, dims.stream().mapToLong(Long::longValue).toArray(), dataType, raw, floats);
    }

    private static float[] values(RawTensor t) {
        if (!t.raw().isEmpty()) {
            ByteBuffer b = t.raw().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[b.remaining() / 4];
            b.asFloatBuffer().get(v);
            return v;
        }
        float[] v = new float[t.floats().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.floats().get(i);
        }
        return v;
    }

    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }
}
