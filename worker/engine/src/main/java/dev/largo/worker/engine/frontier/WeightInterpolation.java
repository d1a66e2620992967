package dev.largo.worker.engine.frontier;

import dev.largo.worker.engine.io.SafeTensorsFile;
import dev.largo.worker.engine.io.TensorData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * WiSE-FT's weight-space interpolation (Wortsman et al. 2022): {@code theta(alpha) = theta0 + alpha (theta_ft -
 * theta0)} over every tensor of a plain (merged) model. theta0 is where fine-tuning started: the base model's
 * weights with the task head as it was when the method's tensors began to train (the seeded new head, or the
 * linear-probed one after a head warm-up); theta_ft is the merged fine-tuned model. For a LoRA-family adapter
 * theta_ft - theta0 is the adapter's update (plus the head's change), so alpha is the adapter's scale.
 *
 * <p>Pure Java over float arrays, no libtorch: the service rewrites downloads with it, the worker evaluates with it.
 * Computed as {@code (1 - alpha) theta0 + alpha theta_ft} in double, so both ends are exact: alpha 0 gives theta0's
 * floats and alpha 1 theta_ft's, bit for bit, and tensors that did not change stay bit-identical at every alpha.
 */
public final class WeightInterpolation {

    private final Map<String, long[]> shapes;
    private final Map<String, float[]> start;
    private final Map<String, float[]> end;

    /**
     * @param start theta0 by tensor name
     * @param end theta_ft by tensor name: the same names and sizes as {@code start}
     */
    public WeightInterpolation(Map<String, long[]> shapes, Map<String, float[]> start, Map<String, float[]> end) {
        if (!start.keySet().equals(end.keySet()) || !start.keySet().equals(shapes.keySet())) {
            throw new IllegalArgumentException("the two ends name different tensors: " + start.keySet() + " and "
                    + end.keySet());
        }
        for (String name : start.keySet()) {
            if (start.get(name).length != end.get(name).length) {
                throw new IllegalArgumentException("tensor " + name + " has " + start.get(name).length
                        + " values at the start and " + end.get(name).length + " at the end");
            }
        }
        this.shapes = new LinkedHashMap<>(shapes);
        this.start = new LinkedHashMap<>(start);
        this.end = new LinkedHashMap<>(end);
    }

    /**
     * The two ends from files: theta_ft is every tensor of {@code fineTuned} (a merged model.safetensors); theta0
     * takes each from {@code initialHead} when it is there, else from {@code base} (the base model's weights).
     *
     * @throws IllegalArgumentException when a fine-tuned tensor has no start or a start of another shape
     */
    public static WeightInterpolation fromFiles(Path base, Path initialHead, Path fineTuned) throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> start = new LinkedHashMap<>();
        Map<String, float[]> end = new LinkedHashMap<>();
        try (SafeTensorsFile ft = SafeTensorsFile.open(fineTuned);
                SafeTensorsFile head = SafeTensorsFile.open(initialHead);
                SafeTensorsFile pretrained = SafeTensorsFile.open(base)) {
            for (String name : ft.header().names()) {
                long[] shape = ft.header().tensor(name).shape();
                SafeTensorsFile from = head.header().contains(name) ? head : pretrained;
                if (!from.header().contains(name)) {
                    throw new IllegalArgumentException("fine-tuned tensor " + name + " is neither in the base model"
                            + " nor in the initial head");
                }
                long[] startShape = from.header().tensor(name).shape();
                if (!java.util.Arrays.equals(shape, startShape)) {
                    throw new IllegalArgumentException("tensor " + name + " has shape "
                            + java.util.Arrays.toString(startShape) + " at the start and "
                            + java.util.Arrays.toString(shape) + " fine-tuned");
                }
                shapes.put(name, shape);
                start.put(name, from.readFloats(name));
                end.put(name, ft.readFloats(name));
            }
        }
        return new WeightInterpolation(shapes, start, end);
    }

    /** theta(alpha) for every tensor, as float32. */
    public Map<String, TensorData> at(double alpha) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (String name : start.keySet()) {
            out.put(name, TensorData.ofFloats(at(name, alpha), shapes.get(name)));
        }
        return out;
    }

    /** theta(alpha) of one tensor. */
    public float[] at(String name, double alpha) {
        requireAlpha(alpha);
        float[] s = start.get(name);
        float[] e = end.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        float[] out = new float[s.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((1 - alpha) * s[i] + alpha * e[i]);
        }
        return out;
    }

    public Set<String> names() {
        return start.keySet();
    }

    public long[] shape(String name) {
        return shapes.get(name).clone();
    }

    /** alpha must be a finite number in [0, 1]: outside it the curve extrapolates, which nothing here measured. */
    public static void requireAlpha(double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
    }
}
