package dev.largo.worker.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), exactly as PyTorch's {@code torch.optim.AdamW}:
 * <pre>
 *   p <- p * (1 - lr * wd)
 *   m <- b1 m + (1 - b1) g;   v <- b2 v + (1 - b2) g^2
 *   p <- p - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 * Parameters and moments are updated in place by DJL's fused native Adam update (its AdamW form),
 * one call per tensor; gradients are left as they are.
 */
public final class AdamW implements Optimizer {

    private final NDManager stateManager;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final Map<String, NDArray> firstMoments = new HashMap<>();
    private final Map<String, NDArray> secondMoments = new HashMap<>();
    private final StepCounter steps = new StepCounter();

    /** PyTorch defaults: betas (0.9, 0.999), eps 1e-8; weight decay as given (worker/engine/docs/largo.md §3 default 0). */
    public AdamW(NDManager stateManager, float weightDecay) {
        this(stateManager, 0.9f, 0.999f, 1e-8f, weightDecay);
    }

    public AdamW(NDManager stateManager, float beta1, float beta2, float eps, float weightDecay) {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && eps > 0 && weightDecay >= 0)) {
            throw new IllegalArgumentException("bad AdamW settings: betas " + beta1 + ", " + beta2 + ", eps " + eps
                    + ", weight decay " + weightDecay);
        }
        this.stateManager = stateManager;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(List<TrainableTensor> tensors, float learningRate) {
        long step = steps.advance();
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double sqrtBiasCorrection2 = Math.sqrt(1 - Math.pow(beta2, step));
        // DJL's fused update computes p -= c m / (sqrt(v) + e); with c = lr sqrt(bc2) / bc1 and
        // e = eps sqrt(bc2) that is exactly PyTorch's p -= (lr / bc1) m / (sqrt(v) / sqrt(bc2) + eps).
        float scaledLearningRate = (float) (learningRate * sqrtBiasCorrection2 / biasCorrection1);
        float scaledEps = (float) (eps * sqrtBiasCorrection2);
        try (StepScope scope = StepScope.open(stateManager)) {
            for (TrainableTensor tensor : tensors) {
                NDArray p = tensor.value();
                NDArray g = scope.gradient(tensor);
                NDArray m = firstMoments.computeIfAbsent(tensor.name(), name -> zerosLike(p, name + ".m"));
                NDArray v = secondMoments.computeIfAbsent(tensor.name(), name -> zerosLike(p, name + ".v"));
                // One native call per tensor instead of a dozen element-wise ops: the optimizer's cost is
                // dominated by per-op overhead, not arithmetic. The second list names the array whose
                // gradient DJL zeroes afterwards; m has none, so the caller's gradients stay intact.
                p.getNDArrayInternal().adamUpdate(new NDList(p, g, m, v), new NDList(m), learningRate,
                        scaledLearningRate, weightDecay, 1f, -1f, beta1, beta2, scaledEps, false, true);
            }
        }
    }

    private NDArray zerosLike(NDArray p, String name) {
        NDArray zeros = stateManager.zeros(p.getShape(), p.getDataType(), p.getDevice());
        zeros.setName(name);
        return zeros;
    }

    @Override
    public long stepCount() {
        return steps.count();
    }

    /**
     * Keys {@code step}, {@code m.<tensor>} and {@code v.<tensor>}. Moment arrays are the live state
     * (do not modify); {@code step} is a new int64 scalar array on the state manager.
     */
    @Override
    public Map<String, NDArray> stateDict() {
        Map<String, NDArray> state = steps.newState(stateManager);
        firstMoments.keySet().stream().sorted().forEach(name -> {
            state.put("m." + name, firstMoments.get(name));
            state.put("v." + name, secondMoments.get(name));
        });
        return state;
    }

    @Override
    public void loadStateDict(Map<String, NDArray> state, NDManager manager) {
        long step = StepCounter.saved(state, "AdamW");
        Map<String, NDArray> m = new HashMap<>();
        Map<String, NDArray> v = new HashMap<>();
        for (Map.Entry<String, NDArray> entry : state.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("m.")) {
                m.put(key.substring(2), copy(entry.getValue(), manager));
            } else if (key.startsWith("v.")) {
                v.put(key.substring(2), copy(entry.getValue(), manager));
            } else if (!key.equals(StepCounter.KEY)) {
                throw new IllegalArgumentException("unexpected AdamW state key '" + key + "'");
            }
        }
        if (!m.keySet().equals(v.keySet())) {
            throw new IllegalArgumentException("AdamW state has first moments for " + m.keySet()
                    + " but second moments for " + v.keySet());
        }
        firstMoments.values().forEach(NDArray::close);
        secondMoments.values().forEach(NDArray::close);
        firstMoments.clear();
        secondMoments.clear();
        firstMoments.putAll(m);
        secondMoments.putAll(v);
        steps.restore(step);
    }

    /** A copy of {@code array} on {@code manager} (optimizer state restored from a checkpoint). */
    public static NDArray copy(NDArray array, NDManager manager) {
        NDArray copy = manager.create(array.getShape(), array.getDataType(), array.getDevice());
        array.copyTo(copy);
        return copy;
    }
}
