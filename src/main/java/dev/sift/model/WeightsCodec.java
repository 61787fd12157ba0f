package dev.sift.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import dev.sift.ArraySink;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Model weights as DJL parameter bytes: plain bytes, so that callers can hash, store and compare them without
 * knowing DJL, and the same weights always give the same bytes.
 */
public final class WeightsCodec {
    private WeightsCodec() {
    }

    /**
     * The parameters of an initialised block. Written twice, once to count the bytes and once into an array of that
     * size: for MiniLM (90 MB) a growing buffer would hold up to 128 MB and then copy it into a 90 MB array.
     */
    public static byte[] encode(Block block) {
        ArraySink count = new ArraySink(new byte[0]);
        save(block, count);
        if (count.count() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("weights of " + count.count() + " bytes do not fit in one array");
        }
        ArraySink sink = new ArraySink(new byte[(int) count.count()]);
        save(block, sink);
        if (sink.count() != count.count()) {
            throw new IllegalStateException("weights changed while being written: " + count.count() + " then "
                    + sink.count() + " bytes");
        }
        return sink.bytes();
    }

    private static void save(Block block, OutputStream sink) {
        try (DataOutputStream out = new DataOutputStream(sink)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads {@code weights} into the initialised block of {@code model}, in the model's memory. */
    public static void decode(byte[] weights, Model model) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(weights))) {
            model.getBlock().loadParameters(model.getNDManager(), in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("stored weights do not fit the model: " + e.getMessage(), e);
        }
    }
}
