package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.sift.data.SyntheticShop;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The port of all-MiniLM-L6-v2 to DJL blocks: sentence embeddings (mean pooling over tokens) of the DJL
 * encoder match ONNX Runtime running the same ONNX file, on 50 product titles.
 */
class MiniLmPortTest {
    static List<String> titles() {
        LinkedHashSet<String> t = new LinkedHashSet<>();
        for (SyntheticShop.Row r : SyntheticShop.generate(400, 0, 5)) {
            t.add(r.title());
        }
        List<String> out = new ArrayList<>(t).subList(0, 44);
        out = new ArrayList<>(out);
        // a few real-world shapes: long, punctuation, digits, accents, unknown words
        out.addAll(List.of("Set of 10 Battery Operated Multi LED Train Christmas Lights - Clear Wire",
                "ViewSonic Pro8200 DLP Multimedia Projector", "Accent Pillow with Heart Design - Red/Black",
                "Crème brûlée torch, 2-pack (refillable) — stainless steel",
                "Concept Housewares WR-44526 Solid-Wood Ceiling/Wall-Mount Wine Rack, Charcoal Grey, 6 Bottle",
                "xyzzy qwertyuiop zzzz 12345678901234567890"));
        return out;
    }

    @Test
    void djlEncoderMatchesOnnxRuntime() throws Exception {
        List<String> titles = titles();
        assertEquals(50, titles.size());
        Map<String, NamedTensor> tensors = PretrainedMiniLm.weights();
        assertEquals(101, tensors.size());
        try (TextTokenizer tok = PretrainedMiniLm.tokenizer(128);
                Model model = Model.newInstance("minilm", Device.cpu(), "PyTorch")) {
            BertEncoder encoder = new BertEncoder(BertConfig.miniLmL6());
            model.setBlock(encoder);
            NDManager m = model.getNDManager();
            encoder.load(m, tensors);
            NDList in = tok.batch(m, titles, null);
            NDArray hidden = encoder.forward(new ParameterStore(m, false), in, false).singletonOrThrow();
            float[][] djl = rows(BertEncoder.meanPool(hidden, in.get(2)).toFloatArray(), titles.size());

            OrtEnvironment env = OrtEnvironment.getEnvironment();
            byte[] onnx = PretrainedMiniLm.resource(PretrainedMiniLm.ONNX).readAllBytes();
            try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
                long[] shape = in.get(0).getShape().getShape();
                try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(in.get(0).toLongArray()), shape);
                        OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(in.get(1).toLongArray()),
                                shape);
                        OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(in.get(2).toLongArray()),
                                shape);
                        OrtSession.Result r = session.run(Map.of("input_ids", ids, "token_type_ids", types,
                                "attention_mask", mask))) {
                    float[][][] out = (float[][][]) r.get(0).getValue();
                    long[] maskValues = in.get(2).toLongArray();
                    double worst = 1;
                    for (int i = 0; i < titles.size(); i++) {
                        float[] ort = new float[out[i][0].length];
                        int n = 0;
                        for (int t = 0; t < shape[1]; t++) {
                            if (maskValues[i * (int) shape[1] + t] == 1) {
                                n++;
                                for (int h = 0; h < ort.length; h++) {
                                    ort[h] += out[i][t][h];
                                }
                            }
                        }
                        for (int h = 0; h < ort.length; h++) {
                            ort[h] /= n;
                        }
                        worst = Math.min(worst, SentenceEmbedder.cosine(djl[i], ort));
                    }
                    System.out.println("MiniLM port: worst cosine DJL vs ONNX Runtime over 50 titles = " + worst);
                    assertTrue(worst >= 0.9999, "worst cosine " + worst);
                }
            }
        }
    }

    static float[][] rows(float[] flat, int n) {
        int d = flat.length / n;
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }
}
