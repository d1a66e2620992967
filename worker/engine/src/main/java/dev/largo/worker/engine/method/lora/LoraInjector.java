package dev.largo.worker.engine.method.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.model.LinearOp;
import dev.largo.worker.engine.support.Arrays;
import dev.largo.worker.engine.support.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/** Wraps every linear module a {@link LoraConfig} targets in a {@link LoraLinear}. */
public final class LoraInjector {

    /** The task head is saved whole ({@code modules_to_save}), never adapted. */
    public static final String HEAD = "classifier";

    private LoraInjector() {
    }

    /** The module paths {@code config} selects; fails when an entry selects nothing. */
    public static List<String> targets(Classifier model, LoraConfig config) {
        List<String> selected = new ArrayList<>();
        for (String path : model.linears().keySet()) {
            if (!path.equals(HEAD) && config.targets(path)) {
                selected.add(path);
            }
        }
        for (String target : config.targetModules()) {
            boolean used = selected.stream().anyMatch(p -> p.equals(target) || p.endsWith("." + target));
            if (!used) {
                TreeSet<String> names = new TreeSet<>();
                for (String path : model.linears().keySet()) {
                    if (!path.equals(HEAD)) {
                        names.add(path.substring(path.lastIndexOf('.') + 1));
                    }
                }
                throw new IllegalArgumentException("lora.target_modules entry \"" + target
                        + "\" matches no linear module of this " + model.config().architecture()
                        + " (module names: " + String.join(", ", names) + "; the classifier is never a target)");
            }
        }
        return selected;
    }

    /**
     * Replaces each targeted linear with a LoRA layer initialised per {@code config.init()}.
     *
     * @param seed the run seed; each layer's random init draws from a stream named after the layer
     * @return the new layers by module path, in model order
     */
    public static Map<String, LoraLinear> inject(Classifier model, LoraConfig config, long seed) {
        return inject(model, config, seed, Map.of());
    }

    /**
     * As {@link #inject(Classifier, LoraConfig, long)}, but SVD inits take their factors A0, B0 from
     * {@code svdFactors} (module path to {A0, B0}, e.g. from a checkpoint) instead of computing an SVD.
     */
    public static Map<String, LoraLinear> inject(Classifier model, LoraConfig config, long seed,
                                                 Map<String, NDArray[]> svdFactors) {
        Map<String, LoraLinear> layers = new LinkedHashMap<>();
        for (String path : targets(model, config)) {
            LinearOp base = model.linears().get(path);
            NDArray[] factors = svdFactors.get(path);
            if (config.init().isSvd() && !svdFactors.isEmpty() && factors == null) {
                throw new IllegalArgumentException("no stored SVD factors for module " + path);
            }
            LoraLinear lora;
            if (config.init() == LoraInit.GAUSSIAN) {
                lora = gaussian(base, config, Seeds.stream(seed, "lora_A:" + path), model.manager());
            } else if (factors != null) {
                NDArray a0 = Arrays.copyOn(factors[0], model.manager());
                NDArray b0 = Arrays.copyOn(factors[1], model.manager());
                lora = SvdLoraInit.fromFactors(base, a0, b0, config.init(), model.manager());
                base.tensors().get("weight").close();
            } else {
                lora = SvdLoraInit.create(base, config, seed, path, model.manager());
            }
            model.setLinear(path, lora);
            layers.put(path, lora);
        }
        return layers;
    }

    /**
     * Plain LoRA: A ~ U(-1/sqrt(in), 1/sqrt(in)) (PEFT's kaiming_uniform_ with a = sqrt(5)), B = 0,
     * W_res = W0 (the same frozen array), s = alpha / r.
     */
    static LoraLinear gaussian(LinearOp base, LoraConfig config, Random random, NDManager manager) {
        NDArray[] pair = freshPair(base, config.r(), random, manager);
        return new LoraLinear(base.tensors().get("weight"), base.bias(), pair[0], pair[1], null, null, config.scale(),
                LoraInit.GAUSSIAN);
    }

    /**
     * A new trainable pair for {@code base}: A [r, in] ~ U(-1/sqrt(in), 1/sqrt(in)) drawn from {@code random},
     * B [out, r] = 0, in the weight's dtype on {@code manager}.
     */
    public static NDArray[] freshPair(LinearOp base, int r, Random random, NDManager manager) {
        DataType dtype = base.tensors().get("weight").getDataType();
        long in = base.inFeatures();
        long out = base.outFeatures();
        double bound = 1.0 / Math.sqrt(in);
        double[] a = new double[Math.toIntExact(r * in)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (random.nextDouble() * 2 - 1) * bound;
        }
        NDArray loraA = Arrays.create(a, new Shape(r, in), dtype, manager);
        NDArray loraB = Arrays.create(new double[Math.toIntExact(out * r)], new Shape(out, r), dtype, manager);
        return new NDArray[] {loraA, loraB};
    }
}
