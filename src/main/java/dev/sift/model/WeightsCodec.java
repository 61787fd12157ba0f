package dev.sift.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Model weights as DJL parameter bytes: plain bytes, so that callers can hash, store and compare them without
 * knowing DJL, and the same weights always give the same bytes.
 */
public final class WeightsCodec {
    private WeightsCodec() {
    }

    /** The parameters of an initialised block. */
    public static byte[] encode(Block block) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
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
