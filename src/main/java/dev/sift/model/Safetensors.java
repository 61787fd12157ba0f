package dev.sift.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data. F32, F16 and BF16 are read (as
 * float32).
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {
    }

    public static Map<String, NamedTensor> read(byte[] file, String source) throws IOException {
        if (file.length < 8) {
            throw new IOException(source + ": too short for safetensors");
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = b.getLong(0);
        if (headerLen <= 0 || headerLen > file.length - 8) {
            throw new IOException(source + ": invalid safetensors header length " + headerLen);
        }
        JsonNode header = JSON.readTree(new String(file, 8, (int) headerLen, StandardCharsets.UTF_8));
        int base = 8 + (int) headerLen;
        Map<String, NamedTensor> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
            var e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode t = e.getValue();
            String dtype = t.get("dtype").asText();
            long[] shape = new long[t.get("shape").size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asLong();
                count *= shape[i];
            }
            long start = t.get("data_offsets").get(0).asLong();
            long end = t.get("data_offsets").get(1).asLong();
            int width = switch (dtype) {
                case "F32" -> 4;
                case "F16", "BF16" -> 2;
                default -> -1;
            };
            if (width < 0) {
                continue; // int tensors (position ids) are buffers, not weights
            }
            if (end - start != count * width || base + end > file.length) {
                throw new IOException(source + ": tensor " + e.getKey() + " has a byte range that does not fit its "
                        + "shape");
            }
            float[] v = new float[(int) count];
            ByteBuffer d = ByteBuffer.wrap(file, base + (int) start, (int) (end - start)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < v.length; i++) {
                v[i] = switch (dtype) {
                    case "F32" -> d.getFloat();
                    case "F16" -> halfToFloat(d.getShort());
                    default -> Float.intBitsToFloat((d.getShort() & 0xFFFF) << 16);
                };
            }
            out.put(e.getKey(), new NamedTensor(e.getKey(), shape, v));
        }
        return out;
    }

    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0) {
            return Float.intBitsToFloat(sign) + (sign != 0 ? -1 : 1) * mant * 0x1p-24f;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Writes float32 tensors (used by tests to build checkpoints in the real format). */
    public static byte[] write(Map<String, NamedTensor> tensors) throws IOException {
        var header = JSON.createObjectNode();
        long offset = 0;
        for (var t : tensors.values()) {
            var n = header.putObject(t.name());
            n.put("dtype", "F32");
            var shape = n.putArray("shape");
            for (long s : t.shape()) {
                shape.add(s);
            }
            var off = n.putArray("data_offsets");
            off.add(offset);
            offset += 4L * t.values().length;
            off.add(offset);
        }
        byte[] h = JSON.writeValueAsBytes(header);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (var t : tensors.values()) {
            for (float f : t.values()) {
                b.putFloat(f);
            }
        }
        return b.array();
    }
}
