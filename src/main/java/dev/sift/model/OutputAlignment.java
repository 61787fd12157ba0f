package dev.sift.model;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The alignment of the whole training loss's gradient with each sample's output gradient,
 * a_i = g . dM(x_i)/dtheta, with g = dL/dtheta, L the mean training loss over the pool, theta the TRAINABLE
 * parameters (frozen ones count neither in g nor in dM/dtheta), and M the model's scalar ranking score
 * ({@link Predictions#rankScore}): the expected grade sum_k k p_k for graded tasks, the positive-class
 * probability p_1 for binary ones (the same formula with two classes) and the prediction for regression.
 *
 * <p>With g fixed, a_i is the directional derivative of M(x_i) along g, which a central difference gives for
 * every sample at once: a_i = (M_{theta + eps g}(x_i) - M_{theta - eps g}(x_i)) / (2 eps) + O(eps^2). The cost
 * is one backward pass over the pool (accumulating g) and two forward passes, against one backward pass per
 * sample for explicit per-sample gradients ({@link #perSampleLoop}).
 *
 * <p>Sign: a gradient step on the whole training loss, theta' = theta - lr g, changes M(x_i) by
 * -lr a_i + O(lr^2). So a_i &gt; 0 means the step LOWERS sample i's ranking score, a_i &lt; 0 that it raises it.
 *
 * <p>Step: eps = {@value #RELATIVE_STEP} * max(||theta||, 1) / ||g||, so that the perturbation eps g has a norm of
 * {@value #RELATIVE_STEP} of the parameters' norm whatever the scale of g. The perturbed forward passes run on a
 * float64 copy of the model: in float32 the difference M+ - M- drowns in round-off unless the step is large
 * (relative steps under 1e-4 lose digits, and storing theta + eps g in float32 rounds the step itself), and large
 * steps meet the O(eps^2) truncation term and, worse, ReLU kinks inside the step (the function is only piecewise
 * smooth). In float64 the error stays at the float32 reference's own level (about 1e-7 of the values) for relative
 * steps from 1e-9 to 1e-5 on the hashed model; round-off grows below that (about 3e-17 / step), and the chance that
 * a ReLU kink lies inside the step grows with it (at 1e-6 one of 640 samples of the 4096-bucket model was off by
 * 5e-5, at 1e-7 none). 1e-7 keeps three decades from the round-off end and makes kinks rare (the test prints the
 * whole table).
 *
 * <p>Forward passes and the loss run in inference mode (no dropout), so M and L are deterministic functions of theta.
 */
public final class OutputAlignment implements AutoCloseable {
    /** ||eps g|| / max(||theta||, 1). */
    public static final double RELATIVE_STEP = 1e-7;

    private final Model model;
    private final FeatureSource features;
    private final boolean regression;
    private final int outputs;
    private final List<Parameter> params = new ArrayList<>();
    private final List<String> trainableKeys = new ArrayList<>();
    private final Supplier<AbstractBlock> newBlock;
    private final ParameterStore store;
    private Block twin;
    private List<NDArray> twinParams;
    private NDArray[] gradient;
    private double gradientNorm = Double.NaN;
    private double parameterNorm;

    /**
     * @param values a_i per pool sample, in pool order
     * @param eps the step of the central difference
     */
    public record Result(double[] values, double eps, double parameterNorm, double gradientNorm) {
    }

    private OutputAlignment(RelevanceTrainer trainer, byte[] weights) {
        this.model = trainer.load(weights);
        this.features = trainer.features();
        this.regression = trainer.regression();
        this.outputs = trainer.outputs();
        this.newBlock = trainer::newBlock;
        this.store = new ParameterStore(model.getNDManager(), false);
        double sq = 0;
        for (var p : model.getBlock().getParameters()) {
            if (trainer.trainable().test(p.getKey())) {
                NDArray a = p.getValue().getArray();
                a.setRequiresGradient(true);
                params.add(p.getValue());
                trainableKeys.add(p.getKey());
                sq += squaredNorm(a);
            }
        }
        this.parameterNorm = Math.sqrt(sq);
    }

    /** The model of {@code trainer} holding {@code weights}; close it when done. */
    public static OutputAlignment open(RelevanceTrainer trainer, byte[] weights) {
        return new OutputAlignment(trainer, weights);
    }

    /** a_i for every sample of {@code pool}, with the loss gradient over the same pool and the default step. */
    public static Result compute(RelevanceTrainer trainer, byte[] weights, Targets targets, int[] pool, int batch) {
        try (OutputAlignment a = open(trainer, weights)) {
            a.accumulateGradient(targets, pool, batch);
            double eps = a.defaultEps();
            return new Result(a.centralDifference(pool, eps, batch), eps, a.parameterNorm, a.gradientNorm);
        }
    }

    /** ||theta|| over the trainable parameters. */
    public double parameterNorm() {
        return parameterNorm;
    }

    /** ||g|| over the trainable parameters; NaN before {@link #accumulateGradient}. */
    public double gradientNorm() {
        return gradientNorm;
    }

    /** The step rule of this class: {@value #RELATIVE_STEP} * max(||theta||, 1) / ||g||; 0 when g = 0. */
    public double defaultEps() {
        return epsFor(RELATIVE_STEP);
    }

    /** The eps for which ||eps g|| = {@code relativeStep} * max(||theta||, 1); 0 when g = 0. */
    public double epsFor(double relativeStep) {
        requireGradient();
        return gradientNorm == 0 ? 0 : relativeStep * Math.max(parameterNorm, 1.0) / gradientNorm;
    }

    /**
     * g = gradient of the mean training loss over {@code pool} (the loss training minimises: cross-entropy, or
     * squared error of the scaled target for regression), {@code batch} samples per backward pass. The batches'
     * shares of the mean add up in the parameters' float32 gradients (a relative error of about 1e-7 per batch,
     * the same g for every method that uses it) and are then kept in float64.
     */
    public void accumulateGradient(Targets targets, int[] pool, int batch) {
        closeGradient();
        NDManager root = model.getNDManager();
        gradient = new NDArray[params.size()];
        for (int p = 0; p < params.size(); p++) {
            gradient[p] = root.zeros(params.get(p).getArray().getShape(), DataType.FLOAT64);
        }
        zeroGradients();
        for (int start = 0; start < pool.length && !params.isEmpty(); start += batch) {
            int[] sel = Arrays.copyOfRange(pool, start, Math.min(pool.length, start + batch));
            try (NDManager m = root.newSubManager()) {
                NDArray y = RelevanceLoss.targets(m, targets, outputs, regression, sel);
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDList out = model.getBlock().forward(store, features.batch(m, sel), false);
                    // the batch's share of the mean: the collector adds the batches up to dL/dtheta
                    NDArray sum = RelevanceLoss.perSample(out.get(0), y, regression).sum();
                    gc.backward(sum.div(Scalars.of(sum, pool.length)));
                }
            }
        }
        try (NDManager m = root.newSubManager()) {
            for (int p = 0; p < params.size(); p++) {
                NDArray g = gradientIn(params.get(p), m);
                if (g != null) {
                    gradient[p].addi(g.toType(DataType.FLOAT64, true));
                    g.subi(g);
                }
            }
        }
        double sq = 0;
        for (NDArray g : gradient) {
            sq += squaredNorm(g);
        }
        gradientNorm = Math.sqrt(sq);
    }

    /**
     * (M_{theta + eps g}(x_i) - M_{theta - eps g}(x_i)) / (2 eps) for every sample of {@code pool}, the perturbed
     * forward passes in float64 (a float64 copy of the model; the model itself is not touched). Zeros when
     * eps = 0 (no gradient).
     */
    public double[] centralDifference(int[] pool, double eps, int batch) {
        return centralDifference(pool, eps, batch, true);
    }

    /**
     * The same, with the perturbed forward passes in float64 or, for comparison, in float32 on the model itself
     * (its parameters are restored afterwards).
     */
    double[] centralDifference(int[] pool, double eps, int batch, boolean float64) {
        requireGradient();
        if (eps == 0) {
            return new double[pool.length];
        }
        Block block = float64 ? twin() : model.getBlock();
        List<NDArray> target = float64 ? twinParams : params.stream().map(Parameter::getArray).toList();
        try (NDManager keep = model.getNDManager().newSubManager()) {
            NDArray[] theta = new NDArray[params.size()];
            for (int p = 0; p < theta.length; p++) {
                // the float64 copy is perturbed, the model keeps theta; in float32 the model itself moves
                theta[p] = float64 ? params.get(p).getArray() : params.get(p).getArray().duplicate();
                if (!float64) {
                    theta[p].attach(keep);
                }
            }
            try {
                set(target, theta, eps);
                double[] plus = scores(block, pool, batch, float64);
                set(target, theta, -eps);
                double[] minus = scores(block, pool, batch, float64);
                double[] out = new double[pool.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (plus[i] - minus[i]) / (2 * eps);
                }
                return out;
            } finally {
                set(target, theta, 0);
            }
        }
    }

    /** A float64 copy of the model (every parameter; the trainable ones listed in {@link #twinParams}). */
    private Block twin() {
        if (twin == null) {
            AbstractBlock b = newBlock.get();
            b.initialize(model.getNDManager(), DataType.FLOAT64, features.shapes());
            var copy = b.getParameters();
            for (var e : model.getBlock().getParameters()) {
                NDArray w = copy.get(e.getKey()).getArray();
                try (NDArray v = e.getValue().getArray().toType(DataType.FLOAT64, true)) {
                    w.subi(w).addi(v);
                }
            }
            twinParams = trainableKeys.stream().map(k -> copy.get(k).getArray()).toList();
            twin = b;
        }
        return twin;
    }

    /**
     * Reference: g . dM(x_i)/dtheta with dM(x_i)/dtheta from autograd, one sample at a time, the dot product in
     * float64.
     */
    public double[] perSampleLoop(int[] pool) {
        requireGradient();
        double[] out = new double[pool.length];
        NDManager root = model.getNDManager();
        zeroGradients();
        for (int i = 0; i < pool.length; i++) {
            try (NDManager m = root.newSubManager()) {
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDList y = model.getBlock().forward(store, features.batch(m, new int[] {pool[i]}), false);
                    gc.backward(score(y.get(0), false).sum());
                }
                NDArray dot = m.zeros(new Shape(), DataType.FLOAT64);
                for (int p = 0; p < params.size(); p++) {
                    NDArray d = gradientIn(params.get(p), m);
                    if (d != null) {
                        dot = dot.add(d.toType(DataType.FLOAT64, true).mul(gradient[p]).sum());
                        d.subi(d); // the collector accumulates
                    }
                }
                out[i] = dot.getDouble();
            }
        }
        return out;
    }

    /** Sets every {@code target} to theta + step * g, computed in float64 and rounded once to its type. */
    private void set(List<NDArray> target, NDArray[] theta, double step) {
        for (int p = 0; p < theta.length; p++) {
            NDArray w = target.get(p);
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray t64 = theta[p].toType(DataType.FLOAT64, true);
                t64.attach(m); // everything derived from it stays in m
                NDArray g64 = gradient[p].duplicate();
                g64.attach(m);
                w.subi(w).addi(t64.add(g64.muli(step)).toType(w.getDataType(), false));
            }
        }
    }

    /** M on every sample of {@code pool} through {@code block}, in inference mode, {@code batch} at a time. */
    private double[] scores(Block block, int[] pool, int batch, boolean float64) {
        double[] out = new double[pool.length];
        for (int start = 0; start < pool.length; start += batch) {
            int[] sel = Arrays.copyOfRange(pool, start, Math.min(pool.length, start + batch));
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDList x = features.batch(m, sel);
                if (float64) {
                    NDList x64 = new NDList();
                    // token ids stay integers; float features follow the float64 weights
                    x.forEach(a -> x64.add(a.getDataType() == DataType.FLOAT32 ? a.toType(DataType.FLOAT64, false) : a));
                    x = x64;
                }
                NDList y = block.forward(store, x, false);
                double[] s = score(y.get(0), true).toDoubleArray();
                System.arraycopy(s, 0, out, start, sel.length);
            }
        }
        return out;
    }

    /**
     * M per row of the output [n, K]: the expected grade, or the prediction. In float64 for the central
     * difference; autograd needs float32 (DJL's type conversion does not record a gradient).
     */
    private NDArray score(NDArray out, boolean float64) {
        NDArray o = float64 ? out.toType(DataType.FLOAT64, false) : out;
        if (regression) {
            return o.reshape(-1);
        }
        NDArray grades = out.getManager().arange(0, outputs, 1, o.getDataType());
        return o.softmax(1).mul(grades).sum(new int[] {1});
    }

    private void zeroGradients() {
        try (NDManager m = model.getNDManager().newSubManager()) {
            for (Parameter p : params) {
                NDArray g = gradientIn(p, m);
                if (g != null) {
                    g.subi(g);
                }
            }
        }
    }

    /** The gradient of {@code p}, its handle (and whatever is derived from it) in {@code m}; null before any backward. */
    private static NDArray gradientIn(Parameter p, NDManager m) {
        NDArray g;
        try {
            g = p.getArray().getGradient();
        } catch (IllegalStateException e) {
            return null; // no backward pass has reached this parameter yet
        }
        if (g != null) {
            g.attach(m);
        }
        return g;
    }

    private static double squaredNorm(NDArray a) {
        try (NDArray a64 = a.toType(DataType.FLOAT64, true); NDArray sq = a64.square(); NDArray s = sq.sum()) {
            return s.getDouble();
        }
    }

    private void requireGradient() {
        if (gradient == null) {
            throw new IllegalStateException("accumulateGradient first");
        }
    }

    private void closeGradient() {
        if (gradient != null) {
            for (NDArray g : gradient) {
                g.close();
            }
            gradient = null;
        }
    }

    /** The trainable parameters as they are now (restored after every central difference), for tests. */
    byte[] weights() {
        return WeightsCodec.encode(model.getBlock());
    }

    @Override
    public void close() {
        closeGradient();
        model.close();
    }
}
