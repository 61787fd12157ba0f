package dev.sift.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** Where training and inference run, and with how many CPU threads per operation. */
public final class Devices {
    /** PyTorch's own intra-op thread count (the machine's cores), read before Sift first changes it. */
    private static int defaultThreads;
    /** The environment variable that chooses where BERT encoders infer on the CPU: onnxruntime (default) or djl. */
    public static final String INFERENCE = "SIFT_INFERENCE";
    private static Boolean onnxPresent;
    /** Set by benchmarks: the thread count every model gets, whatever its size (0: PyTorch's default); or null. */
    private static Integer forced;

    private Devices() {
    }

    /**
     * Sets PyTorch's intra-op CPU threads for a model about to train or infer: one for {@code small} models (the
     * hashed bag of words, a head on cached embeddings), whose operations are too small to gain from splitting and
     * which, on a machine busy with other work, lose ten times and more to OpenMP threads waiting for each other
     * (measured: README, "Threads"); PyTorch's default (the cores) for the Transformer encoders. {@code
     * SIFT_TORCH_THREADS} overrides both (0: PyTorch's default). One setting per process: the last model set wins.
     * Results do not depend on it beyond float rounding in multi-threaded reductions; with one thread they are the
     * same on every machine.
     */
    public static synchronized void threadsFor(boolean small) {
        int n = threads(small);
        if (JniUtils.getNumThreads() != n) {
            JniUtils.setNumThreads(n);
        }
    }

    /**
     * The intra-op threads of an inference pass in ONNX Runtime ({@link OnnxBert}): what {@link #threadsFor} gives a
     * Transformer encoder.
     */
    public static synchronized int inferenceThreads() {
        return threads(false);
    }

    /** The thread count {@link #threadsFor} sets; reads PyTorch's own default the first time. */
    private static int threads(boolean small) {
        Engine.getEngine("PyTorch");
        if (defaultThreads == 0) {
            defaultThreads = JniUtils.getNumThreads();
        }
        String env = System.getenv("SIFT_TORCH_THREADS");
        int n = small ? 1 : defaultThreads;
        if (forced != null) {
            n = forced <= 0 ? defaultThreads : forced;
        } else if (env != null && !env.isBlank()) {
            try {
                int set = Integer.parseInt(env.trim());
                n = set <= 0 ? defaultThreads : set;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("SIFT_TORCH_THREADS must be a whole number, got '" + env + "'", e);
            }
        }
        return n;
    }

    /**
     * Whether inference of a BERT encoder on {@code device} runs in ONNX Runtime ({@link OnnxBert}): on the CPU,
     * unless {@code SIFT_INFERENCE} is {@code djl}. A value other than {@code djl} or {@code onnxruntime} fails,
     * naming it. Here, not in {@link OnnxBert}, so that a GPU run never loads ONNX Runtime's classes.
     */
    public static boolean onnxInference(Device device) {
        return Device.Type.CPU.equals(device.getDeviceType())
                && inference(System.getenv(INFERENCE)).equals("onnxruntime") && onnxRuntimePresent();
    }

    /**
     * Whether ONNX Runtime and protobuf are on the class path: {@code sift} always has them; the thin class path of
     * {@code ModelBenchMain} ({@code tools/gpu-bundle.sh}) does not, and infers in DJL.
     */
    private static synchronized boolean onnxRuntimePresent() {
        if (onnxPresent == null) {
            try {
                Class.forName("ai.onnxruntime.OrtEnvironment", false, Devices.class.getClassLoader());
                Class.forName("com.google.protobuf.CodedOutputStream", false, Devices.class.getClassLoader());
                onnxPresent = true;
            } catch (ClassNotFoundException e) {
                onnxPresent = false;
            }
        }
        return onnxPresent;
    }

    /**
     * The inference runtime {@code value} of {@code SIFT_INFERENCE} names: {@code onnxruntime} when unset or blank,
     * else {@code onnxruntime} or {@code djl}; anything else fails in one line (checked when {@code sift} starts).
     */
    public static String inference(String value) {
        String choice = value == null || value.isBlank() ? "onnxruntime" : value.trim();
        if (!choice.equals("onnxruntime") && !choice.equals("djl")) {
            throw new IllegalArgumentException(INFERENCE + " is '" + value + "': use onnxruntime or djl");
        }
        return choice;
    }

    /** {@code auto}: a GPU when PyTorch sees one, else the CPU; {@code gpu} fails at once when there is none. */
    public static Device select(TrainSpec.DeviceChoice choice) {
        Engine engine = Engine.getEngine("PyTorch");
        return switch (choice) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (engine.getGpuCount() == 0) {
                    throw new IllegalArgumentException("fine_tune.device is gpu, but PyTorch sees no GPU (the "
                            + "pytorch-native-cpu library has no CUDA; see README, GPU)");
                }
                yield Device.gpu();
            }
            case AUTO -> engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        };
    }

    /** For benchmarks: every model from now on gets {@code threads} (0: PyTorch's default), or null: as above. */
    public static synchronized void force(Integer threads) {
        forced = threads;
    }

    /** PyTorch's default intra-op thread count on this machine. */
    public static synchronized int defaultThreads() {
        threadsFor(false);
        return defaultThreads;
    }
}
