package dev.largo.worker.engine.method.gorp;

import dev.largo.worker.engine.support.InvalidSettingException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.model.LinearOp;
import dev.largo.worker.engine.optim.Optimizer;
import dev.largo.worker.engine.method.lora.LoraConfig;
import dev.largo.worker.engine.method.lora.LoraInit;
import dev.largo.worker.engine.method.lora.LoraInjector;
import dev.largo.worker.engine.support.Arrays;
import dev.largo.worker.engine.support.Seeds;
import dev.largo.worker.engine.train.PreparedMethod;
import dev.largo.worker.engine.train.TrainingPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model made ready for GORP and carried from task to task: expanding LoRA layers on the LoRA targets, the
 * full-rank targets' weights training directly, and the shared gradient space of every projected parameter
 * (each LoRA A on its input side, each full-rank weight on its uncompressed side). {@link #state} and
 * {@link #restore} carry the frozen pairs and the spaces through checkpoints.
 */
public final class GorpModel {

    static final String FROZEN = "gorp.frozen.";
    static final String SHARED = "gorp.shared.";

    private final Classifier model;
    private final GorpConfig config;
    private final long seed;
    private final List<String> loraPaths;
    private final List<String> fullRankPaths;
    private final Map<String, SharedSpace> spaces = new LinkedHashMap<>();
    private int task;

    private GorpModel(Classifier model, GorpConfig config, long seed, List<String> loraPaths,
                      List<String> fullRankPaths) {
        this.model = model;
        this.config = config;
        this.seed = seed;
        this.loraPaths = List.copyOf(loraPaths);
        this.fullRankPaths = List.copyOf(fullRankPaths);
    }

    /** Wraps the LoRA targets with the first task's pairs; every shared space starts empty. */
    public static GorpModel prepare(Classifier model, GorpConfig config, long seed) {
        List<String> loraPaths = config.loraTargets().isEmpty() ? List.of()
                : LoraInjector.targets(model, new LoraConfig(config.rank(), config.alpha(), config.loraTargets(),
                        LoraInit.GAUSSIAN));
        List<String> fullRankPaths = new ArrayList<>();
        for (String path : model.linears().keySet()) {
            if (!path.equals(LoraInjector.HEAD) && GorpConfig.matches(path, config.fullRankTargets())) {
                fullRankPaths.add(path);
            }
        }
        for (String target : config.fullRankTargets()) {
            if (fullRankPaths.stream().noneMatch(path -> GorpConfig.matches(path, List.of(target)))) {
                throw new InvalidSettingException("method.gorp.full_rank_targets",
                        "gorp.full_rank_targets entry \"" + target + "\" matches no linear module of this "
                                + model.config().architecture());
            }
        }
        for (String path : fullRankPaths) {
            if (loraPaths.contains(path)) {
                throw new InvalidSettingException("method.gorp.full_rank_targets",
                        "module " + path + " is both a LoRA and a full-rank target");
            }
        }
        GorpModel gorp = new GorpModel(model, config, seed, loraPaths, fullRankPaths);
        for (String path : loraPaths) {
            LinearOp base = model.linears().get(path);
            NDArray[] pair = gorp.freshPair(0, path);
            model.setLinear(path, new ExpandingLoraLinear(base.tensors().get("weight"), base.bias(), null, null,
                    pair[0], pair[1], config.scale()));
            gorp.spaces.put(path + ".lora_A", SharedSpace.empty((int) base.inFeatures()));
        }
        for (String path : fullRankPaths) {
            LinearOp op = model.linears().get(path);
            gorp.spaces.put(path + ".weight",
                    SharedSpace.empty(GradientProjection.sharedDimension(op.outFeatures(), op.inFeatures())));
        }
        return gorp;
    }

    /** The task the trainable pairs belong to (from 0). */
    public int task() {
        return task;
    }

    /**
     * Moves to task {@code next} (the current task + 1): every current pair joins the frozen ones and a new
     * pair (A Kaiming-uniform from a stream named after the task and the module, B zero) trains.
     */
    public void startTask(int next) {
        if (next != task + 1) {
            throw new IllegalStateException("GORP is at task " + task + "; cannot start task " + next);
        }
        for (String path : loraPaths) {
            ExpandingLoraLinear layer = layer(path);
            NDArray[] pair = freshPair(next, path);
            model.setLinear(path, layer.nextTask(pair[0], pair[1], model.manager()));
            layer.loraA().close();
            layer.loraB().close();
            if (layer.frozenA() != null) {
                layer.frozenA().close();
                layer.frozenB().close();
            }
        }
        task = next;
    }

    private NDArray[] freshPair(int taskIndex, String path) {
        return LoraInjector.freshPair(model.linears().get(path), config.rank(),
                Seeds.stream(seed, "gorp_A:" + taskIndex + ":" + path), model.manager());
    }

    private ExpandingLoraLinear layer(String path) {
        return (ExpandingLoraLinear) model.linears().get(path);
    }

    /** What trains: the current pairs, the full-rank weights and the head, in model order. */
    public PreparedMethod describe() {
        List<String> wanted = new ArrayList<>();
        for (String path : loraPaths) {
            wanted.add(path + ".lora_A");
            wanted.add(path + ".lora_B");
        }
        fullRankPaths.forEach(path -> wanted.add(path + ".weight"));
        wanted.addAll(model.headTensors());
        List<String> ordered = model.tensors().keySet().stream().filter(wanted::contains).toList();
        return new PreparedMethod(Map.of(), ordered, model.headTensors(), Set.of());
    }

    /** Builds the task's {@link GorpOptimizer} over the spaces as they stand. */
    public TrainingPlan.OptimizerSource optimizers() {
        Set<String> fullRank = Set.copyOf(fullRankPaths.stream().map(path -> path + ".weight").toList());
        Map<String, SharedSpace> current = Map.copyOf(spaces);
        return (state, hyper) -> new GorpOptimizer(state, config, (float) hyper.weightDecay(), hyper.learningRate(),
                fullRank, current, model.linears().get(LoraInjector.HEAD).bias().getDataType());
    }

    /** After a task: grows every shared space from the task's final bias-corrected Adam first moment. */
    public void growSpaces(Optimizer optimizer) {
        if (!(optimizer instanceof GorpOptimizer gorp)) {
            throw new IllegalStateException("the task was not trained with GORP's optimizer");
        }
        gorp.sharedSideMoments(List.copyOf(spaces.keySet())).forEach((name, moment) ->
                spaces.put(name, spaces.get(name).grow(moment.values(), moment.cols(), config.energyThreshold())));
    }

    /** The shared spaces by tensor name ({@code <path>.lora_A} or {@code <path>.weight}). */
    public Map<String, SharedSpace> spaces() {
        return java.util.Collections.unmodifiableMap(spaces);
    }

    /** Module paths with an expanding LoRA. */
    public List<String> loraPaths() {
        return loraPaths;
    }

    /** Module paths whose weights train at full rank. */
    public List<String> fullRankPaths() {
        return fullRankPaths;
    }

    /**
     * The frozen pairs and the non-empty shared spaces, for a checkpoint: {@code gorp.frozen.<path>.A|B} (the
     * live arrays) and {@code gorp.shared.<tensor>} (new float64 arrays on {@code manager}).
     */
    public Map<String, NDArray> state(NDManager manager) {
        Map<String, NDArray> state = new LinkedHashMap<>();
        for (String path : loraPaths) {
            ExpandingLoraLinear layer = layer(path);
            if (layer.frozenA() != null) {
                state.put(FROZEN + path + ".A", layer.frozenA());
                state.put(FROZEN + path + ".B", layer.frozenB());
            }
        }
        spaces.forEach((name, space) -> {
            if (space.size() > 0) {
                state.put(SHARED + name, space.toArray(manager));
            }
        });
        return state;
    }

    /**
     * Puts back the state {@link #state} stored at task {@code taskIndex} into a freshly prepared model: the
     * frozen pairs (copied) and the spaces. The current pairs' values come from the checkpoint's parameters.
     */
    public void restore(int taskIndex, Map<String, NDArray> state) {
        if (task != 0) {
            throw new IllegalStateException("restore a freshly prepared GORP model");
        }
        for (String path : loraPaths) {
            NDArray frozenA = state.get(FROZEN + path + ".A");
            NDArray frozenB = state.get(FROZEN + path + ".B");
            if ((frozenA == null) != (taskIndex == 0) || (frozenB == null) != (taskIndex == 0)) {
                throw new IllegalStateException("the checkpoint's frozen pairs of " + path + " do not fit task " + taskIndex);
            }
            if (frozenA == null) {
                continue;
            }
            ExpandingLoraLinear layer = layer(path);
            NDArray a = Arrays.copyOn(frozenA, model.manager());
            NDArray b = Arrays.copyOn(frozenB, model.manager());
            model.setLinear(path, new ExpandingLoraLinear(layer.weight(), layer.bias(),
                    a.toType(layer.weight().getDataType(), false), b.toType(layer.weight().getDataType(), false),
                    layer.loraA(), layer.loraB(), config.scale()));
        }
        for (Map.Entry<String, SharedSpace> entry : spaces.entrySet()) {
            NDArray stored = state.get(SHARED + entry.getKey());
            if (stored != null) {
                SharedSpace space = SharedSpace.fromArray(stored);
                if (space.dim() != entry.getValue().dim()) {
                    throw new IllegalStateException("stored shared space of " + entry.getKey() + " has dimension "
                            + space.dim() + ", expected " + entry.getValue().dim());
                }
                entry.setValue(space);
            }
        }
        task = taskIndex;
    }
}
