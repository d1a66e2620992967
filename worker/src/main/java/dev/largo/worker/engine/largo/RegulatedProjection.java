package dev.largo.worker.engine.largo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.optim.Optimizer;
import dev.largo.worker.engine.optim.StepScope;
import dev.largo.worker.engine.optim.TrainableTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The LARGO step (LARGO.md section 2), wrapping any base optimizer: tensors chosen by a name predicate
 * are kept within a learned radius gamma of their initial value P0, row by row; all other tensors get
 * the base optimizer's update only. Used on the adapter factors A and B (LARGO) or on every
 * pretrained tensor (FTP).
 *
 * <p>Per regulated tensor and step t, after backward produced g_t:
 * <ol>
 *   <li>if t > 1, the hypergradient h_t = sum_i &lt;g_t[i,:], c_prev[i,:]&gt; / n_prev[i];</li>
 *   <li>the base optimizer proposes P~; c_t = P~ - P0; n_t[i] = ||c_t[i,:]|| + eps;</li>
 *   <li>t = 1: gamma = gamma_init. Otherwise (h_t > 0 ? kappa h_t : h_t) drives gamma's own Adam
 *       (a descent step, lr mu), then gamma is clipped to [eps, max_i n_t[i]];</li>
 *   <li>P[i,:] = P0[i,:] + clamp(gamma / n_t[i], 0, 1) c_t[i,:]; c_t, n_t are kept as c_prev, n_prev.</li>
 * </ol>
 *
 * <p>Sign convention (from FTP, arXiv 2310.19182, Algorithm 1). The previous step set
 * P_t = P0 + (gamma / n_prev[i]) c_prev[i,:] on every row it projected, so
 * dP_t[i,:]/dgamma = c_prev[i,:] / n_prev[i] and, by the chain rule, dL/dgamma = h_t as above, computed
 * from the gradient g_t = dL/dP_t already at hand (no extra forward or backward pass). h_t is a true
 * gradient, so gamma moves against it: h_t > 0 (a larger radius would raise the loss) shrinks gamma and
 * tightens the constraint; h_t &lt; 0 (the last move pointed downhill) widens it. kappa &lt; 1 damps only
 * the tightening direction, as FTP's annealing does. Like FTP, the sum runs over all rows, including
 * rows the previous step left unprojected (whose true derivative is 0); this is FTP's choice and keeps
 * the hypergradient one fused reduction. gamma's Adam counts its own updates for bias correction
 * (FTP's code uses the global step, which shrinks its first radius step to about 0.74 mu).
 *
 * <p>Tensors of rank > 2 are viewed as rows by flattening all but the first dimension; 1-D tensors
 * (biases) and {@link DeviationNorm#FROBENIUS} treat the whole tensor as one row. All tensor work is
 * NDArray ops in a per-step scope; per step, one device-to-host transfer fetches every tensor's
 * hypergradient and largest row norm together. Call {@link #step} outside a gradient collector.
 */
public final class RegulatedProjection implements Optimizer {

    private final NDManager stateManager;
    private final Optimizer base;
    private final LargoConfig config;
    private final Predicate<String> regulated;
    private final Map<String, TensorState> states = new LinkedHashMap<>();
    private long steps;

    /**
     * @param stateManager long-lived manager for P0, c_prev, n_prev
     * @param base the optimizer that proposes each update (AdamW), applied to every tensor
     * @param regulated which tensor names to regulate (e.g. names ending in lora_A / lora_B)
     */
    public RegulatedProjection(NDManager stateManager, Optimizer base, LargoConfig config,
                               Predicate<String> regulated) {
        this.stateManager = stateManager;
        this.base = base;
        this.config = config;
        this.regulated = regulated;
    }

    /** Per-tensor state: anchor, previous deviation and its row norms, the radius and its Adam. */
    private static final class TensorState {
        NDArray anchor;
        NDArray previousDeviation;
        NDArray previousNorms;
        double gamma;
        double gammaM;
        double gammaV;
        long gammaUpdates;
    }

    /**
     * Records the anchors P0 now (normally right after the adapters are initialised). Without this call
     * they are captured at the first step, before it changes anything, which is the same value.
     */
    public void captureAnchors(List<TrainableTensor> tensors) {
        try (StepScope scope = StepScope.open(stateManager)) {
            for (TrainableTensor tensor : tensors) {
                if (regulated.test(tensor.name())) {
                    anchor(tensor, scope);
                }
            }
        }
    }

    @Override
    public void step(List<TrainableTensor> tensors, float learningRate) {
        long t = steps + 1;
        try (StepScope scope = StepScope.open(stateManager)) {
            List<TrainableTensor> chosen = new ArrayList<>();
            List<NDArray> hypergradients = new ArrayList<>();
            for (TrainableTensor tensor : tensors) {
                if (!regulated.test(tensor.name())) {
                    continue;
                }
                chosen.add(tensor);
                TensorState state = anchor(tensor, scope);
                if (state.previousDeviation != null) {
                    // g is the first operand, so every temporary lands in the scope.
                    NDArray g = scope.gradient(tensor);
                    hypergradients.add(g.mul(state.previousDeviation).divi(state.previousNorms).sum());
                }
            }

            base.step(tensors, learningRate);

            List<NDArray> deviations = new ArrayList<>(chosen.size());
            List<NDArray> norms = new ArrayList<>(chosen.size());
            List<NDArray> largestNorms = new ArrayList<>(chosen.size());
            for (TrainableTensor tensor : chosen) {
                TensorState state = states.get(tensor.name());
                NDArray p = tensor.value();
                scope.borrow(p, state.anchor);
                NDArray deviation = p.sub(state.anchor);
                NDArray rowNorms = rowNorms(deviation);
                deviations.add(deviation);
                norms.add(rowNorms);
                largestNorms.add(rowNorms.max());
            }

            updateRadii(chosen, hypergradients, largestNorms, t);

            for (int i = 0; i < chosen.size(); i++) {
                TensorState state = states.get(chosen.get(i).name());
                NDArray deviation = deviations.get(i);
                NDArray rowNorms = norms.get(i);
                NDArray kept = NDArrays.div((float) state.gamma, rowNorms).clip(0, 1);
                // P = P0 + s c, written as P~ - (1 - s) c: in place, and exact when s = 1.
                chosen.get(i).value().subi(deviation.mul(kept.neg().addi(1)));
                replace(state, deviation, rowNorms);
            }
        }
        steps = t;
    }

    /** The anchor state of {@code tensor}, capturing P0 from its current value on first sight. */
    private TensorState anchor(TrainableTensor tensor, StepScope scope) {
        TensorState state = states.get(tensor.name());
        if (state == null) {
            state = new TensorState();
            NDArray p = tensor.value();
            scope.borrow(p);
            state.anchor = p.duplicate();
            stateManager.attachAll(state.anchor);
            state.gamma = config.gammaInit();
            states.put(tensor.name(), state);
        }
        return state;
    }

    /** Row norms + eps, shaped to broadcast against the tensor ([rows, 1, ...] or all ones). */
    private NDArray rowNorms(NDArray deviation) {
        Shape shape = deviation.getShape();
        long rows = config.norm().rowWise() && shape.dimension() >= 2 ? shape.get(0) : 1;
        NDArray flat = deviation.reshape(rows, -1);
        NDArray norms = switch (config.norm()) {
            case L1_ROW -> flat.abs().sum(new int[] {1});
            case L2_ROW, FROBENIUS -> flat.square().sum(new int[] {1}).sqrt();
        };
        long[] broadcast = new long[shape.dimension()];
        java.util.Arrays.fill(broadcast, 1);
        if (broadcast.length > 0) {
            broadcast[0] = rows;
        }
        return norms.addi(config.eps()).reshape(new Shape(broadcast));
    }

    /** gamma's Adam step and clip for every regulated tensor, from one host transfer. */
    private void updateRadii(List<TrainableTensor> chosen, List<NDArray> hypergradients, List<NDArray> largestNorms,
                             long t) {
        if (hypergradients.isEmpty()) {
            return; // first step: every radius is gamma_init
        }
        if (hypergradients.size() != chosen.size()) {
            throw new IllegalStateException("regulated tensors changed between steps: "
                    + hypergradients.size() + " had history, " + chosen.size() + " regulated now");
        }
        List<NDArray> scalars = new ArrayList<>(hypergradients);
        scalars.addAll(largestNorms);
        float[] host = NDArrays.stack(new NDList(scalars)).toType(DataType.FLOAT32, false).toFloatArray();
        int k = chosen.size();
        for (int i = 0; i < k; i++) {
            TensorState state = states.get(chosen.get(i).name());
            double h = host[i];
            if (h > 0) {
                h *= config.kappa();
            }
            state.gammaUpdates++;
            state.gammaM = config.beta1() * state.gammaM + (1 - config.beta1()) * h;
            state.gammaV = config.beta2() * state.gammaV + (1 - config.beta2()) * h * h;
            double mHat = state.gammaM / (1 - Math.pow(config.beta1(), state.gammaUpdates));
            double vHat = state.gammaV / (1 - Math.pow(config.beta2(), state.gammaUpdates));
            double gamma = state.gamma - config.mu() * mHat / (Math.sqrt(vHat) + config.eps());
            if (config.capRadiusAtDeviation()) {
                gamma = Math.min(host[k + i], gamma);
            }
            state.gamma = Math.max(config.eps(), gamma);
        }
    }

    /** Keeps this step's deviation and norms as the next step's history, freeing the old ones. */
    private void replace(TensorState state, NDArray deviation, NDArray rowNorms) {
        if (state.previousDeviation != null) {
            state.previousDeviation.close();
            state.previousNorms.close();
        }
        stateManager.attachAll(deviation, rowNorms);
        state.previousDeviation = deviation;
        state.previousNorms = rowNorms;
    }

    /** Current radius per regulated tensor, for metrics. */
    public Map<String, Float> gammas() {
        Map<String, Float> out = new LinkedHashMap<>();
        states.forEach((name, state) -> out.put(name, (float) state.gamma));
        return out;
    }

    public LargoConfig config() {
        return config;
    }

    public Optimizer base() {
        return base;
    }

    @Override
    public long stepCount() {
        return steps;
    }

    /**
     * Keys: {@code largo.step}; per regulated tensor {@code largo.<name>.anchor}, {@code .c_prev},
     * {@code .n_prev} (absent before the first step) and {@code .gamma} (float64 [gamma, m, v, updates]);
     * the base optimizer's state under {@code base.}. Arrays are live state: do not modify.
     */
    @Override
    public Map<String, NDArray> stateDict() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        state.put("largo.step", stateManager.create(new long[] {steps}));
        states.forEach((name, s) -> {
            state.put("largo." + name + ".anchor", s.anchor);
            if (s.previousDeviation != null) {
                state.put("largo." + name + ".c_prev", s.previousDeviation);
                state.put("largo." + name + ".n_prev", s.previousNorms);
            }
            state.put("largo." + name + ".gamma",
                    stateManager.create(new double[] {s.gamma, s.gammaM, s.gammaV, s.gammaUpdates}));
        });
        base.stateDict().forEach((key, value) -> state.put("base." + key, value));
        return state;
    }

    @Override
    public void loadStateDict(Map<String, NDArray> state, NDManager manager) {
        NDArray step = state.get("largo.step");
        if (step == null) {
            throw new IllegalArgumentException("LARGO state has no 'largo.step'");
        }
        Map<String, TensorState> loaded = new LinkedHashMap<>();
        Map<String, NDArray> baseState = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> entry : state.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("base.")) {
                baseState.put(key.substring("base.".length()), entry.getValue());
            } else if (key.endsWith(".gamma") && key.startsWith("largo.")) {
                String name = key.substring("largo.".length(), key.length() - ".gamma".length());
                double[] values = entry.getValue().toType(DataType.FLOAT64, false).toDoubleArray();
                if (values.length != 4) {
                    throw new IllegalArgumentException(key + " must hold [gamma, m, v, updates]");
                }
                TensorState s = loaded.computeIfAbsent(name, n -> new TensorState());
                s.gamma = values[0];
                s.gammaM = values[1];
                s.gammaV = values[2];
                s.gammaUpdates = (long) values[3];
            }
        }
        for (Map.Entry<String, TensorState> entry : loaded.entrySet()) {
            String prefix = "largo." + entry.getKey();
            NDArray anchor = state.get(prefix + ".anchor");
            if (anchor == null) {
                throw new IllegalArgumentException("LARGO state has no " + prefix + ".anchor");
            }
            TensorState s = entry.getValue();
            s.anchor = copy(anchor, manager);
            NDArray deviation = state.get(prefix + ".c_prev");
            NDArray norms = state.get(prefix + ".n_prev");
            if ((deviation == null) != (norms == null)) {
                throw new IllegalArgumentException(prefix + " has only one of c_prev and n_prev");
            }
            if (deviation != null) {
                s.previousDeviation = copy(deviation, manager);
                s.previousNorms = copy(norms, manager);
            }
        }
        base.loadStateDict(baseState, manager);
        states.values().forEach(s -> {
            s.anchor.close();
            if (s.previousDeviation != null) {
                s.previousDeviation.close();
                s.previousNorms.close();
            }
        });
        states.clear();
        states.putAll(loaded);
        steps = step.toLongArray()[0];
    }

    private static NDArray copy(NDArray array, NDManager manager) {
        NDArray copy = manager.create(array.getShape(), array.getDataType(), array.getDevice());
        array.copyTo(copy);
        return copy;
    }
}
