package dev.largo.worker.engine.method.gorp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.linalg.Svd;
import dev.largo.worker.engine.linalg.SvdResult;
import dev.largo.worker.engine.optim.AdamW;
import dev.largo.worker.engine.optim.Optimizer;
import dev.largo.worker.engine.optim.StepCounter;
import dev.largo.worker.engine.optim.StepScope;
import dev.largo.worker.engine.optim.TrainableTensor;
import dev.largo.worker.engine.support.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GORP's update for one task (worker/engine/docs/gorp.md §2):
 * <ul>
 *   <li>full-rank weights: every T steps Q (or P) is recomputed from the top-k singular vectors of the current
 *       gradient; the compressed gradient G~ has the shared directions removed, Adam runs on it (k-sized moments,
 *       not rotated when Q changes), and W moves by {@code lr_full * galore_scale * N Q};</li>
 *   <li>LoRA A: the gradient loses its component in A's input-side shared space, G_A - G_A S_A S_A^T, then
 *       plain AdamW; LoRA B and the head: plain AdamW.</li>
 *   <li>then, for every tensor with a shared space, the step's change itself loses its component in that space
 *       ({@link ProtectedUpdate}): Adam's element-wise division would otherwise put part of it back.</li>
 * </ul>
 * Decoupled weight decay applies to the full-rank weights as AdamW applies it to the rest.
 */
public final class GorpOptimizer implements Optimizer {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPS = 1e-8f;

    private final NDManager stateManager;
    private final GorpConfig config;
    private final float weightDecay;
    private final double fullRankRatio;
    private final AdamW adam;
    private final Set<String> fullRank;
    /** Shared bases by tensor name, in the model's dtype: on the rows (m side) or columns (n side), see below. */
    private final Map<String, NDArray> bases = new LinkedHashMap<>();
    private final Map<String, NDArray> projectors = new LinkedHashMap<>();
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private final Map<String, Boolean> projectsRight = new LinkedHashMap<>();
    private final StepCounter steps = new StepCounter();

    /**
     * @param fullRank names of the full-rank weights (everything else is plain AdamW)
     * @param spaces shared spaces by tensor name: a full-rank weight's on its uncompressed side, a LoRA A's on its
     *     input side; tensors without one (or with an empty one) are not projected
     * @param peakLearningRate the run's peak learning rate ({@code config.fullRankLearningRate()} is set
     *     relative to it, so the full-rank part follows the same schedule)
     */
    public GorpOptimizer(NDManager stateManager, GorpConfig config, float weightDecay, double peakLearningRate,
                         Set<String> fullRank, Map<String, SharedSpace> spaces, DataType dtype) {
        this.stateManager = stateManager;
        this.config = config;
        this.weightDecay = weightDecay;
        this.fullRankRatio = config.fullRankLearningRate() == null ? 1.0
                : config.fullRankLearningRate() / peakLearningRate;
        this.adam = new AdamW(stateManager, BETA1, BETA2, EPS, weightDecay);
        this.fullRank = Set.copyOf(fullRank);
        spaces.forEach((name, space) -> {
            if (space.size() > 0) {
                bases.put(name, Arrays.create(space.values(), new Shape(space.dim(), space.size()), dtype, stateManager));
            }
        });
    }

    @Override
    public void step(List<TrainableTensor> tensors, float learningRate) {
        boolean refresh = steps.count() % config.refreshSteps() == 0;
        steps.advance();
        List<TrainableTensor> plain = new ArrayList<>(tensors.size());
        ProtectedUpdate protect = new ProtectedUpdate(stateManager);
        try (StepScope scope = StepScope.open(stateManager)) {
            for (TrainableTensor tensor : tensors) {
                NDArray basis = bases.get(tensor.name());
                if (basis != null) {
                    protect.remember(tensor, basis, fullRank.contains(tensor.name())
                            && GradientProjection.projectsRight(tensor.value().getShape().get(0),
                            tensor.value().getShape().get(1)));
                }
                if (fullRank.contains(tensor.name())) {
                    fullRankStep(tensor, learningRate, refresh, scope);
                    continue;
                }
                if (basis != null) {
                    // LoRA A [r, n]: remove the input-side shared directions in place, G_A - G_A S_A S_A^T, so
                    // Adam's moments (which grow the next task's space) stay outside the span.
                    NDArray gradient = scope.gradient(tensor);
                    scope.borrow(basis);
                    gradient.subi(GradientProjection.sharedComponent(gradient, basis, false));
                }
                plain.add(tensor);
            }
        }
        adam.step(plain, learningRate);
        // the update itself, not only the gradient, must stay outside the shared spaces (ProtectedUpdate)
        protect.project(stateManager);
    }

    private void fullRankStep(TrainableTensor tensor, float learningRate, boolean refresh, StepScope scope) {
        NDArray weight = tensor.value();
        NDArray gradient = scope.gradient(tensor);
        long rows = weight.getShape().get(0);
        long cols = weight.getShape().get(1);
        boolean right = GradientProjection.projectsRight(rows, cols);
        String name = tensor.name();
        projectsRight.put(name, right);
        if (refresh || !projectors.containsKey(name)) {
            NDArray old = projectors.put(name, projector(gradient, right, weight.getDataType()));
            if (old != null) {
                old.close();
            }
        }
        NDArray projector = projectors.get(name);
        scope.borrow(projector);
        NDArray compressed = GradientProjection.compress(gradient, projector, right);
        NDArray basis = bases.get(name);
        if (basis != null) {
            scope.borrow(basis);
            compressed = GradientProjection.removeShared(compressed, basis, right);
        }
        Shape shape = compressed.getShape();
        DataType dtype = compressed.getDataType();
        NDArray m = firstMoments.computeIfAbsent(name, n -> zeros(shape, dtype));
        NDArray v = secondMoments.computeIfAbsent(name, n -> zeros(shape, dtype));
        scope.borrow(m, v, weight);
        // Adam on the compressed gradient (outside autograd: scalar ops are safe here).
        m.muli(BETA1).addi(compressed.mul(1 - BETA1));
        v.muli(BETA2).addi(compressed.square().muli(1 - BETA2));
        double biasCorrection1 = 1 - Math.pow(BETA1, steps.count());
        double biasCorrection2 = 1 - Math.pow(BETA2, steps.count());
        NDArray direction = m.div((float) biasCorrection1)
                .divi(v.div((float) biasCorrection2).sqrt().addi(EPS));
        NDArray update = GradientProjection.expand(direction, projector, right);
        float lrFull = (float) (learningRate * fullRankRatio);
        if (weightDecay > 0) {
            weight.muli(1 - lrFull * weightDecay);
        }
        weight.subi(update.muli((float) (lrFull * config.galoreScale())));
    }

    /** Top-k right singular vectors Q [k, n] (right) or left ones P [m, k] of the gradient, on the state manager. */
    private NDArray projector(NDArray gradient, boolean right, DataType dtype) {
        SvdResult svd = Svd.exact(gradient);
        int k = Math.min(config.galoreRank(), svd.k());
        double[] values;
        Shape shape;
        if (right) {
            values = new double[k * svd.cols()];
            for (int i = 0; i < k * svd.cols(); i++) {
                values[i] = svd.vt()[i];
            }
            shape = new Shape(k, svd.cols());
        } else {
            values = new double[svd.rows() * k];
            for (int i = 0; i < svd.rows(); i++) {
                for (int j = 0; j < k; j++) {
                    values[i * k + j] = svd.u()[i * svd.k() + j];
                }
            }
            shape = new Shape(svd.rows(), k);
        }
        return Arrays.create(values, shape, dtype, stateManager);
    }

    private NDArray zeros(Shape shape, DataType dtype) {
        return stateManager.zeros(shape, dtype);
    }

    /**
     * Adam's bias-corrected first moment of each projected parameter at this point, as host doubles oriented for
     * {@link SharedSpace#grow}: rows along the side the shared space lives on. A full-rank weight's compressed
     * moment (m x k, or its transpose n x k for a left projection); a LoRA A's moment transposed (n x r).
     *
     * @param names the tensors wanted (full-rank weights and LoRA A's)
     * @return by name: {rows, cols} and the values, via {@link Moment}
     */
    public Map<String, Moment> sharedSideMoments(List<String> names) {
        Map<String, Moment> moments = new LinkedHashMap<>();
        Map<String, NDArray> adamState = adam.stateDict();
        double adamCorrection = 1 - Math.pow(BETA1, adam.stepCount());
        double ownCorrection = 1 - Math.pow(BETA1, steps.count());
        for (String name : names) {
            NDArray moment;
            double correction;
            boolean transpose;
            if (fullRank.contains(name)) {
                moment = firstMoments.get(name);
                correction = ownCorrection;
                transpose = !Boolean.TRUE.equals(projectsRight.get(name));
            } else {
                moment = adamState.get("m." + name);
                correction = adamCorrection;
                transpose = true;
            }
            if (moment == null || !(correction > 0)) {
                continue;
            }
            double[] values = Arrays.toDoubles(moment);
            int rows = (int) moment.getShape().get(0);
            int cols = (int) moment.getShape().get(1);
            double[] oriented = new double[values.length];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double value = values[i * cols + j] / correction;
                    if (transpose) {
                        oriented[j * rows + i] = value;
                    } else {
                        oriented[i * cols + j] = value;
                    }
                }
            }
            moments.put(name, transpose ? new Moment(cols, rows, oriented) : new Moment(rows, cols, oriented));
        }
        return moments;
    }

    /** A moment laid out for {@link SharedSpace#grow}: dim x cols, row-major. */
    public record Moment(int dim, int cols, double[] values) {
    }

    @Override
    public long stepCount() {
        return steps.count();
    }

    /** {@code step}, {@code adam.*} (AdamW's state), {@code galore.q|m|v.<tensor>}. */
    @Override
    public Map<String, NDArray> stateDict() {
        Map<String, NDArray> state = steps.newState(stateManager);
        adam.stateDict().forEach((key, value) -> state.put("adam." + key, value));
        projectors.keySet().stream().sorted().forEach(name -> {
            state.put("galore.q." + name, projectors.get(name));
            state.put("galore.m." + name, firstMoments.get(name));
            state.put("galore.v." + name, secondMoments.get(name));
        });
        return state;
    }

    @Override
    public void loadStateDict(Map<String, NDArray> state, NDManager manager) {
        long step = StepCounter.saved(state, "GORP optimizer");
        Map<String, NDArray> adamState = new LinkedHashMap<>();
        List.of(projectors, firstMoments, secondMoments).forEach(map -> {
            map.values().forEach(NDArray::close);
            map.clear();
        });
        for (Map.Entry<String, NDArray> entry : state.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("adam.")) {
                adamState.put(key.substring(5), entry.getValue());
            } else if (key.startsWith("galore.q.")) {
                NDArray projector = AdamW.copy(entry.getValue(), manager);
                projectors.put(key.substring(9), projector);
                // Q [k, n] for a right projection; P [m, k] for a left one (k < n there, since m < n).
                projectsRight.put(key.substring(9), state.get("galore.m." + key.substring(9)).getShape().get(1)
                        == projector.getShape().get(0));
            } else if (key.startsWith("galore.m.")) {
                firstMoments.put(key.substring(9), AdamW.copy(entry.getValue(), manager));
            } else if (key.startsWith("galore.v.")) {
                secondMoments.put(key.substring(9), AdamW.copy(entry.getValue(), manager));
            } else if (!key.equals(StepCounter.KEY)) {
                throw new IllegalArgumentException("unexpected GORP optimizer state key '" + key + "'");
            }
        }
        adam.loadStateDict(adamState, manager);
        steps.restore(step);
    }
}
