package dev.largo.worker.engine.method.largo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
 * The LARGO step (worker/engine/docs/largo.md §2), wrapping any base optimizer: tensors chosen by a name predicate
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
    /** The regulated tensors grouped by row length, in first-seen order; null until the first step. */
    private List<Group> groups;
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

    /** Per-tensor state: where its rows sit in its group, the radius and its Adam. */
    private static final class TensorState {
        long[] shape;
        Group group;
        int firstRow;
        int rows;
        double gamma;
        double gammaM;
        double gammaV;
        long gammaUpdates;
    }

    /**
     * Regulated tensors whose rows have the same length, stacked row-wise into one [rows, cols] matrix, so
     * the deviation, the row norms and the hypergradient of all of them are a handful of ops per step
     * instead of a dozen per tensor (per-op overhead dominated the projection with 48 small adapter
     * tensors). Rows never mix across tensors: every per-row quantity is the same as computed alone.
     */
    private static final class Group {
        final long cols;
        final List<String> names = new ArrayList<>();
        final List<Integer> rowCounts = new ArrayList<>();
        int totalRows;
        NDArray anchor;
        NDArray previousDeviation;
        NDArray previousNorms;

        Group(long cols) {
            this.cols = cols;
        }
    }

    /**
     * Records the anchors P0 now (normally right after the adapters are initialised). Without this call
     * they are captured at the first step, before it changes anything, which is the same value.
     */
    public void captureAnchors(List<TrainableTensor> tensors) {
        if (groups == null) {
            try (StepScope scope = StepScope.open(stateManager)) {
                buildGroups(chosen(tensors), scope);
            }
        }
    }

    @Override
    public void step(List<TrainableTensor> tensors, float learningRate) {
        long t = steps + 1;
        try (StepScope scope = StepScope.open(stateManager)) {
            List<TrainableTensor> chosen = chosen(tensors);
            if (groups == null) {
                buildGroups(chosen, scope);
            } else {
                requireSameTensors(chosen);
            }
            Map<String, TrainableTensor> byName = new LinkedHashMap<>();
            chosen.forEach(tensor -> byName.put(tensor.name(), tensor));

            // Per-row hypergradient terms <g[i,:], c_prev[i,:]> / n_prev[i], from the gradient at hand.
            List<NDArray> rowHypergradients = new ArrayList<>();
            for (Group group : groups) {
                if (group.previousDeviation != null) {
                    NDArray gradients = stack(group, name -> scope.gradient(byName.get(name)), scope);
                    rowHypergradients.add(gradients.muli(group.previousDeviation).sum(new int[] {1})
                            .divi(group.previousNorms));
                }
            }

            base.step(tensors, learningRate);

            List<NDArray> deviations = new ArrayList<>(groups.size());
            List<NDArray> norms = new ArrayList<>(groups.size());
            for (Group group : groups) {
                NDArray proposed = stack(group, name -> {
                    NDArray p = byName.get(name).value();
                    scope.borrow(p);
                    return p;
                }, scope);
                NDArray deviation = proposed.subi(group.anchor);
                deviations.add(deviation);
                norms.add(rowNorms(deviation));
            }

            // One device-to-host transfer: every row's hypergradient term and deviation norm.
            List<NDArray> transfer = new ArrayList<>(rowHypergradients);
            transfer.addAll(norms);
            float[] host = NDArrays.concat(new NDList(transfer)).toType(DataType.FLOAT32, false).toFloatArray();
            int normsStart = rowHypergradients.isEmpty() ? 0 : host.length / 2;
            updateRadii(host, rowHypergradients.isEmpty() ? -1 : 0, normsStart, t);

            int rowBase = normsStart;
            for (int g = 0; g < groups.size(); g++) {
                Group group = groups.get(g);
                project(group, deviations.get(g), host, rowBase, byName, scope);
                rowBase += group.totalRows;
                replace(group, deviations.get(g), norms.get(g));
            }
        }
        steps = t;
    }

    private List<TrainableTensor> chosen(List<TrainableTensor> tensors) {
        List<TrainableTensor> chosen = new ArrayList<>();
        for (TrainableTensor tensor : tensors) {
            if (regulated.test(tensor.name())) {
                chosen.add(tensor);
            }
        }
        return chosen;
    }

    /** Groups the tensors by row length and captures their anchors P0 from their current values. */
    private void buildGroups(List<TrainableTensor> chosen, StepScope scope) {
        Map<Long, Group> byCols = new LinkedHashMap<>();
        for (TrainableTensor tensor : chosen) {
            long[] shape = tensor.value().getShape().getShape();
            long rows = rows(shape);
            long cols = rows == 0 ? 0 : tensor.value().size() / rows;
            Group group = byCols.computeIfAbsent(cols, Group::new);
            TensorState state = new TensorState();
            state.shape = shape;
            state.group = group;
            state.firstRow = group.totalRows;
            state.rows = (int) rows;
            state.gamma = config.gammaInit();
            group.names.add(tensor.name());
            group.rowCounts.add((int) rows);
            group.totalRows += (int) rows;
            states.put(tensor.name(), state);
        }
        groups = new ArrayList<>(byCols.values());
        Map<String, TrainableTensor> byName = new LinkedHashMap<>();
        chosen.forEach(tensor -> byName.put(tensor.name(), tensor));
        for (Group group : groups) {
            group.anchor = stack(group, name -> {
                NDArray p = byName.get(name).value();
                scope.borrow(p);
                return p;
            }, scope);
            stateManager.attachAll(group.anchor);
        }
    }

    /** The same tensors as before (in any order: groups find their tensors by name). */
    private void requireSameTensors(List<TrainableTensor> chosen) {
        java.util.Set<String> names = new java.util.HashSet<>();
        chosen.forEach(tensor -> names.add(tensor.name()));
        if (!names.equals(states.keySet())) {
            throw new IllegalStateException("regulated tensors changed between steps: had " + states.keySet()
                    + ", now " + names);
        }
    }

    /** Rows of a tensor for the norm: its first dimension (row-wise norms of a 2+-D tensor), else one row. */
    private long rows(long[] shape) {
        return config.norm().rowWise() && shape.length >= 2 ? shape[0] : 1;
    }

    /** The group's tensors as one new [rows, cols] matrix in the scope (each tensor viewed as [rows, cols]). */
    private static NDArray stack(Group group, java.util.function.Function<String, NDArray> tensor, StepScope scope) {
        NDList parts = new NDList(group.names.size());
        for (int i = 0; i < group.names.size(); i++) {
            parts.add(tensor.apply(group.names.get(i)).reshape(group.rowCounts.get(i), group.cols));
        }
        NDArray stacked = parts.size() == 1 ? parts.get(0).duplicate() : NDArrays.concat(parts, 0);
        scope.manager().attachAll(stacked);
        return stacked;
    }

    /** Row norms + eps, [rows]. */
    private NDArray rowNorms(NDArray deviation) {
        NDArray norms = switch (config.norm()) {
            case L1_ROW -> deviation.abs().sum(new int[] {1});
            case L2_ROW, FROBENIUS -> deviation.square().sum(new int[] {1}).sqrt();
        };
        return norms.addi(config.eps());
    }

    /**
     * gamma's Adam step and clip for every regulated tensor, from the host copy of the per-row terms.
     *
     * @param hyperStart index of the first row's hypergradient term in {@code host}, or -1 at the first step
     *     (every radius stays gamma_init)
     */
    private void updateRadii(float[] host, int hyperStart, int normsStart, long t) {
        if (hyperStart < 0) {
            return;
        }
        int rowBase = 0;
        for (Group group : groups) {
            for (String name : group.names) {
                TensorState state = states.get(name);
                double h = 0;
                double largestNorm = 0;
                for (int r = 0; r < state.rows; r++) {
                    h += host[hyperStart + rowBase + state.firstRow + r];
                    largestNorm = Math.max(largestNorm, host[normsStart + rowBase + state.firstRow + r]);
                }
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
                    gamma = Math.min(largestNorm, gamma);
                }
                state.gamma = Math.max(config.eps(), gamma);
            }
            rowBase += group.totalRows;
        }
    }

    /**
     * P[i,:] = P0[i,:] + clamp(gamma / n[i], 0, 1) c[i,:], written as P~ - (1 - s_i) c[i,:]: in place, exact
     * when s_i = 1, and skipped for tensors none of whose rows is outside the radius.
     */
    private void project(Group group, NDArray deviation, float[] host, int normsBase,
                         Map<String, TrainableTensor> byName, StepScope scope) {
        float[] shrink = new float[group.totalRows];
        boolean[] touched = new boolean[group.names.size()];
        boolean any = false;
        for (int i = 0; i < group.names.size(); i++) {
            TensorState state = states.get(group.names.get(i));
            for (int r = 0; r < state.rows; r++) {
                int row = state.firstRow + r;
                double kept = Math.min(1.0, Math.max(0.0, state.gamma / host[normsBase + row]));
                shrink[row] = (float) (1.0 - kept);
                if (shrink[row] != 0f) {
                    touched[i] = true;
                    any = true;
                }
            }
        }
        if (!any) {
            return;
        }
        NDArray factors = scope.manager().create(shrink, new Shape(group.totalRows, 1));
        NDArray correction = deviation.mul(factors);
        long[] splits = new long[group.names.size() - 1];
        for (int i = 1; i < group.names.size(); i++) {
            splits[i - 1] = states.get(group.names.get(i)).firstRow;
        }
        NDList pieces = splits.length == 0 ? new NDList(correction) : correction.split(splits, 0);
        for (int i = 0; i < group.names.size(); i++) {
            if (touched[i]) {
                TensorState state = states.get(group.names.get(i));
                byName.get(group.names.get(i)).value().subi(pieces.get(i).reshape(state.shape));
            }
        }
    }

    /** Keeps this step's deviations and norms as the next step's history, freeing the old ones. */
    private void replace(Group group, NDArray deviation, NDArray rowNorms) {
        if (group.previousDeviation != null) {
            group.previousDeviation.close();
            group.previousNorms.close();
        }
        stateManager.attachAll(deviation, rowNorms);
        group.previousDeviation = deviation;
        group.previousNorms = rowNorms;
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
     * Keys: {@code largo.step}; per regulated tensor {@code largo.<name>.anchor} (its shape),
     * {@code .c_prev} ([rows, cols]) and {@code .n_prev} ([rows]) (absent before the first step) and
     * {@code .gamma} (float64 [gamma, m, v, updates]); the base optimizer's state under {@code base.}.
     * Tensor arrays are views of the live state: do not modify.
     */
    @Override
    public Map<String, NDArray> stateDict() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        state.put("largo.step", stateManager.create(new long[] {steps}));
        states.forEach((name, s) -> {
            Group group = s.group;
            state.put("largo." + name + ".anchor", rowsOf(group.anchor, s).reshape(s.shape));
            if (group.previousDeviation != null) {
                state.put("largo." + name + ".c_prev", rowsOf(group.previousDeviation, s));
                state.put("largo." + name + ".n_prev", rowsOf(group.previousNorms, s));
            }
            state.put("largo." + name + ".gamma",
                    stateManager.create(new double[] {s.gamma, s.gammaM, s.gammaV, s.gammaUpdates}));
        });
        base.stateDict().forEach((key, value) -> state.put("base." + key, value));
        return state;
    }

    private static NDArray rowsOf(NDArray stacked, TensorState state) {
        return stacked.get(new NDIndex("{}:{}", state.firstRow, state.firstRow + state.rows));
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
                TensorState s = new TensorState();
                s.gamma = values[0];
                s.gammaM = values[1];
                s.gammaV = values[2];
                s.gammaUpdates = (long) values[3];
                loaded.put(name, s);
            }
        }
        // Rebuild the groups in the saved order (the order the tensors were first seen in).
        Map<Long, Group> byCols = new LinkedHashMap<>();
        Map<Group, NDList[]> parts = new LinkedHashMap<>();
        Boolean withHistory = null;
        for (Map.Entry<String, TensorState> entry : loaded.entrySet()) {
            String prefix = "largo." + entry.getKey();
            NDArray anchor = state.get(prefix + ".anchor");
            if (anchor == null) {
                throw new IllegalArgumentException("LARGO state has no " + prefix + ".anchor");
            }
            NDArray deviation = state.get(prefix + ".c_prev");
            NDArray norms = state.get(prefix + ".n_prev");
            if ((deviation == null) != (norms == null)) {
                throw new IllegalArgumentException(prefix + " has only one of c_prev and n_prev");
            }
            if (withHistory != null && withHistory != (deviation != null)) {
                throw new IllegalArgumentException("LARGO state has c_prev for some tensors but not for others");
            }
            withHistory = deviation != null;
            TensorState s = entry.getValue();
            s.shape = anchor.getShape().getShape();
            long rows = rows(s.shape);
            long cols = anchor.size() / rows;
            Group group = byCols.computeIfAbsent(cols, Group::new);
            s.group = group;
            s.firstRow = group.totalRows;
            s.rows = (int) rows;
            group.names.add(entry.getKey());
            group.rowCounts.add((int) rows);
            group.totalRows += (int) rows;
            NDList[] lists = parts.computeIfAbsent(group, g -> new NDList[] {new NDList(), new NDList(), new NDList()});
            lists[0].add(anchor.reshape(rows, cols));
            if (deviation != null) {
                lists[1].add(deviation.reshape(rows, cols));
                lists[2].add(norms.reshape(rows));
            }
        }
        base.loadStateDict(baseState, manager);
        close();
        for (Map.Entry<Group, NDList[]> entry : parts.entrySet()) {
            Group group = entry.getKey();
            NDList[] lists = entry.getValue();
            group.anchor = owned(NDArrays.concat(lists[0], 0), manager);
            if (!lists[1].isEmpty()) {
                group.previousDeviation = owned(NDArrays.concat(lists[1], 0), manager);
                group.previousNorms = owned(NDArrays.concat(lists[2], 0), manager);
            }
        }
        states.putAll(loaded);
        groups = loaded.isEmpty() ? null : new ArrayList<>(byCols.values());
        steps = step.toLongArray()[0];
    }

    /** A copy of {@code array} owned by {@code manager}. */
    private static NDArray owned(NDArray array, NDManager manager) {
        NDArray copy = manager.create(array.getShape(), array.getDataType(), array.getDevice());
        array.copyTo(copy);
        return copy;
    }

    /** Frees the current state. */
    private void close() {
        if (groups != null) {
            for (Group group : groups) {
                group.anchor.close();
                if (group.previousDeviation != null) {
                    group.previousDeviation.close();
                    group.previousNorms.close();
                }
            }
        }
        groups = null;
        states.clear();
    }
}
