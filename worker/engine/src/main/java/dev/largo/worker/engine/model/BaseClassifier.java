package dev.largo.worker.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.optim.TrainableTensor;
import dev.largo.worker.engine.support.Arrays;
import dev.largo.worker.engine.support.Seeds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Tensor bookkeeping shared by the classifiers: plain tensors (embeddings, norms) by name, linear modules by
 * path, the trainable set, head replacement and merging. Subclasses only implement the forward pass (of an
 * {@link ImageClassifier} or a {@link TextClassifier}).
 */
public abstract class BaseClassifier implements Classifier {

    public static final String HEAD = "classifier";
    private static final double HEAD_INIT_STD = 0.02;

    private ModelConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> plain = new LinkedHashMap<>();
    private final Map<String, LinearOp> linears = new LinkedHashMap<>();
    private final Set<String> trainableNames = new LinkedHashSet<>();
    private Map<String, NDArray> tensorsView;

    /**
     * Takes ownership of {@code tensors} (moved onto a new sub-manager of {@code parent}) after checking
     * every name and shape against the config.
     *
     * @param linearPaths the module paths of the model's linear layers (their {@code .weight}/{@code .bias}
     *     become {@link DenseLinear}s)
     */
    protected BaseClassifier(ModelConfig config, Map<String, NDArray> tensors, NDManager parent, List<String> linearPaths) {
        Map<String, Shape> actual = new LinkedHashMap<>();
        DataType dtype = null;
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            actual.put(entry.getKey(), entry.getValue().getShape());
            DataType type = entry.getValue().getDataType();
            if (!type.isFloating()) {
                throw new InvalidModelException("weights", entry.getKey(),
                        "tensor " + entry.getKey() + " has dtype " + type + ", expected a floating-point type");
            }
            if (dtype != null && type != dtype) {
                throw new InvalidModelException("weights", entry.getKey(),
                        "tensor " + entry.getKey() + " has dtype " + type + " but others have " + dtype);
            }
            dtype = type;
        }
        WeightsCheck.verify(config.expectedTensors(), actual, config.architecture());
        this.config = config;
        this.manager = parent.newSubManager();
        for (NDArray array : tensors.values()) {
            array.attach(manager);
        }
        Set<String> linearTensorNames = new HashSet<>();
        for (String path : linearPaths) {
            NDArray weight = tensors.get(path + ".weight");
            NDArray bias = tensors.get(path + ".bias");
            linears.put(path, new DenseLinear(weight, bias));
            linearTensorNames.add(path + ".weight");
            linearTensorNames.add(path + ".bias");
        }
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            if (!linearTensorNames.contains(entry.getKey())) {
                plain.put(entry.getKey(), entry.getValue());
            }
        }
    }

    /**
     * Refuses a forward pass outside a {@link ForwardScope}: its intermediates would pile up on the model's
     * long-lived manager.
     */
    protected void requireScope() {
        NDArray any = plain.isEmpty() ? linears.get(HEAD).bias() : plain.values().iterator().next();
        if (any.getManager() == manager) {
            throw new IllegalStateException("run the forward pass inside a ForwardScope of this model");
        }
    }

    /** Refuses pixels that are not {@code [N, channels, size, size]}, naming the model and what it got. */
    protected static void requirePixels(Shape shape, String model, long channels, long size) {
        if (shape.dimension() != 4 || shape.get(1) != channels || shape.get(2) != size || shape.get(3) != size) {
            throw new IllegalArgumentException(model + " expects pixels [N, " + channels + ", " + size + ", " + size
                    + "], got " + shape);
        }
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    /** A plain (non-linear) tensor by its full name. */
    protected NDArray plain(String name) {
        return plain.get(name);
    }

    protected LinearOp linear(String path) {
        return linears.get(path);
    }

    @Override
    public Map<String, LinearOp> linears() {
        return Collections.unmodifiableMap(linears);
    }

    @Override
    public void setLinear(String path, LinearOp op) {
        LinearOp current = linears.get(path);
        if (current == null) {
            throw new IllegalArgumentException("no linear module " + path);
        }
        if (current.inFeatures() != op.inFeatures() || current.outFeatures() != op.outFeatures()) {
            throw new IllegalArgumentException("module " + path + " maps " + current.inFeatures() + " -> "
                    + current.outFeatures() + ", the replacement " + op.inFeatures() + " -> " + op.outFeatures());
        }
        linears.put(path, op);
        tensorsView = null;
    }

    @Override
    public Map<String, NDArray> tensors() {
        if (tensorsView == null) {
            Map<String, NDArray> all = new LinkedHashMap<>();
            for (String name : config.expectedTensors().keySet()) {
                NDArray array = plain.get(name);
                if (array != null) {
                    all.put(name, array);
                    continue;
                }
                String path = name.substring(0, name.lastIndexOf('.'));
                for (Map.Entry<String, NDArray> entry : linears.get(path).tensors().entrySet()) {
                    all.putIfAbsent(path + "." + entry.getKey(), entry.getValue());
                }
            }
            tensorsView = Collections.unmodifiableMap(all);
        }
        return tensorsView;
    }

    @Override
    public void setTrainable(Collection<String> names) {
        Map<String, NDArray> all = tensors();
        for (String name : names) {
            if (!all.containsKey(name)) {
                throw new IllegalArgumentException("no tensor " + name + " to train");
            }
        }
        trainableNames.clear();
        trainableNames.addAll(names);
        for (Map.Entry<String, NDArray> entry : all.entrySet()) {
            boolean train = trainableNames.contains(entry.getKey());
            if (entry.getValue().hasGradient() != train) {
                entry.getValue().setRequiresGradient(train);
            }
        }
    }

    @Override
    public List<TrainableTensor> trainable() {
        List<TrainableTensor> list = new ArrayList<>();
        for (Map.Entry<String, NDArray> entry : tensors().entrySet()) {
            if (trainableNames.contains(entry.getKey())) {
                list.add(new TrainableTensor(entry.getKey(), entry.getValue()));
            }
        }
        return list;
    }

    @Override
    public void replaceHead(List<String> labels, long seed) {
        LinearOp old = linears.get(HEAD);
        long in = old.inFeatures();
        DataType dtype = old.bias().getDataType();
        Random random = Seeds.stream(seed, "head");
        double[] weight = new double[Math.toIntExact(labels.size() * in)];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = random.nextGaussian() * HEAD_INIT_STD;
        }
        NDArray w = Arrays.create(weight, new Shape(labels.size(), in), dtype, manager);
        NDArray b = Arrays.create(new double[labels.size()], new Shape(labels.size()), dtype, manager);
        replaceHead(labels, w, b);
    }

    @Override
    public void replaceHead(List<String> labels, NDArray w, NDArray b) {
        LinearOp old = linears.get(HEAD);
        if (w.getShape().dimension() != 2 || w.getShape().get(0) != labels.size()
                || w.getShape().get(1) != old.inFeatures() || b.getShape().dimension() != 1
                || b.getShape().get(0) != labels.size()) {
            throw new IllegalArgumentException("a head for " + labels.size() + " labels over " + old.inFeatures()
                    + " features needs weight [" + labels.size() + ", " + old.inFeatures() + "] and bias ["
                    + labels.size() + "], got " + w.getShape() + " and " + b.getShape());
        }
        if (w.getDataType() != old.bias().getDataType() || b.getDataType() != old.bias().getDataType()) {
            throw new IllegalArgumentException("head dtype must be " + old.bias().getDataType());
        }
        w.attach(manager);
        b.attach(manager);
        boolean wasTrainable = trainableNames.remove(HEAD + ".weight") | trainableNames.remove(HEAD + ".bias");
        for (NDArray array : old.tensors().values()) {
            array.close();
        }
        linears.put(HEAD, new DenseLinear(w, b));
        config = config.withLabels(labels);
        tensorsView = null;
        if (wasTrainable) {
            List<String> names = new ArrayList<>(trainableNames);
            names.add(HEAD + ".weight");
            names.add(HEAD + ".bias");
            setTrainable(names);
        }
    }

    @Override
    public Map<String, NDArray> mergedWeights(NDManager target) {
        Map<String, NDArray> merged = new LinkedHashMap<>();
        Map<String, NDArray> byName = new HashMap<>();
        for (Map.Entry<String, LinearOp> entry : linears.entrySet()) {
            byName.put(entry.getKey() + ".weight", entry.getValue().effectiveWeight(target));
            if (entry.getValue().bias() != null) {
                byName.put(entry.getKey() + ".bias", Arrays.copyOn(entry.getValue().bias(), target));
            }
        }
        for (String name : config.expectedTensors().keySet()) {
            NDArray array = plain.get(name);
            merged.put(name, array != null ? Arrays.copyOn(array, target) : byName.get(name));
        }
        return merged;
    }

    @Override
    public void close() {
        manager.close();
    }
}
