package dev.largo.service.jobs;

import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.largo.api.model.ContinualTask;
import dev.largo.api.model.CreateFineTuningJobRequest;
import dev.largo.api.model.EvaluationSplit;
import dev.largo.api.model.GorpConfig;
import dev.largo.api.model.Hyperparameters;
import dev.largo.api.model.LargoConfig;
import dev.largo.api.model.LoraConfig;
import dev.largo.api.model.LoraInit;
import dev.largo.api.model.Method;
import dev.largo.api.model.MethodType;
import dev.largo.api.model.ProjectionNorm;
import dev.largo.service.errors.ApiProblem;
import dev.largo.worker.engine.data.TextTokenizer;
import dev.largo.worker.engine.method.MethodRegistry;

/**
 * Turns a create request into the complete job spec the worker runs: every default filled in (so a job
 * means the same thing whatever later releases change in the defaults), and the combinations that bean
 * validation cannot see refused with 422 naming the parameter. Ranges are the contract's and are checked by
 * bean validation before this runs.
 *
 * <p>Method table (worker/engine/docs/largo.md §3): {@code lora} always initialises {@code gaussian}, {@code pissa}
 * always {@code svd_principal}, {@code largo} defaults to {@code svd_principal} and may use any init. The
 * regulated projection ({@code largo} block) applies to {@code largo} and {@code ftp}.
 *
 * <p>A continual job (worker/engine/docs/gorp.md) gives {@code tasks} instead of {@code training_dataset} and
 * {@code evaluation_splits}, and takes the continual methods: {@code gorp} (its {@code gorp} block), the
 * sequential baselines {@code lora}, {@code largo} and {@code full} (with their usual blocks), and
 * {@code joint}; {@code gorp} and {@code joint} are continual-only.
 */
public final class JobSpecDefaults {

    static final int METADATA_VALUE_MAX = 512;
    static final int METADATA_KEY_MAX = 64;

    // What each method takes and its defaults, from the engine's method registry (one package per method), so
    // that the service's completed specs and the engine cannot drift apart.
    private static final dev.largo.worker.engine.method.gorp.GorpConfig GORP_DEFAULTS =
            method(MethodType.GORP).traits().gorp();
    private static final Set<MethodType> LOW_RANK = methods(m -> m.traits().loraInit() != null);
    private static final Set<MethodType> PROJECTED = methods(m -> m.traits().projected());
    private static final Set<MethodType> CONTINUAL = methods(m -> m.traits().continual());
    private static final Set<MethodType> CONTINUAL_ONLY = methods(m -> !m.traits().singleTask());

    static final String TASK_NAME_PREFIX = "task-";

    private JobSpecDefaults() {
    }

    /** A new, complete spec; {@code request} is not modified. Evaluation split domains are filled later, from the datasets. */
    public static CreateFineTuningJobRequest complete(CreateFineTuningJobRequest request) {
        return complete(request, null);
    }

    /**
     * As {@link #complete(CreateFineTuningJobRequest)}, with the base model's own default LoRA targets (its
     * architecture's: every encoder linear of a BERT, whose {@code "dense"} would also take a pooler that trains
     * whole); null for the method's defaults.
     */
    public static CreateFineTuningJobRequest complete(CreateFineTuningJobRequest request, List<String> modelLoraTargets) {
        MethodType type = request.getMethod().getType();
        CreateFineTuningJobRequest spec = new CreateFineTuningJobRequest();
        spec.setBaseModel(request.getBaseModel());
        if (request.getTasks() != null) {
            requireContinualMethod(type, request);
            List<ContinualTask> tasks = new ArrayList<>();
            for (int i = 0; i < request.getTasks().size(); i++) {
                tasks.add(task(request.getTasks().get(i), "tasks[" + i + "]", tasks));
            }
            spec.setTasks(tasks);
        } else {
            requireSingleTask(type, request);
            spec.setTrainingDataset(request.getTrainingDataset());
            spec.setEvaluationSplits(copySplits(request.getEvaluationSplits()));
        }
        if (request.getTasks() != null) {
            // the engine's sequential baselines (and joint's LoRA) train with the single-task methods' defaults
            for (String block : List.of("lora", "largo")) {
                if ("lora".equals(block) ? request.getMethod().getLora() != null : request.getMethod().getLargo() != null) {
                    throw ApiProblem.invalidParam("method." + block, "a continual job's " + type + " trains with the"
                            + " method's defaults; only gorp takes settings (method.gorp)");
                }
            }
            spec.setMethod(new Method(type).gorp(gorp(type, request.getMethod().getGorp())));
        } else {
            spec.setMethod(new Method(type)
                    .lora(lora(type, request.getMethod().getLora(), modelLoraTargets))
                    .largo(largo(type, request.getMethod().getLargo()))
                    .gorp(gorp(type, request.getMethod().getGorp())));
        }
        spec.setHyperparameters(hyperparameters(type, request.getHyperparameters()));
        if (spec.getMethod().getGorp() != null && spec.getMethod().getGorp().getFullRankLearningRate() == null) {
            spec.getMethod().getGorp().setFullRankLearningRate(spec.getHyperparameters().getLearningRate());
        }
        spec.setSeed(request.getSeed() == null ? 0L : request.getSeed());
        spec.setSuffix(request.getSuffix());
        spec.setMetadata(metadata(request.getMetadata()));
        return spec;
    }

    /**
     * The {@code method} a job that names only {@code type} gets, every default filled in ({@code GET /v1/methods}
     * shows it); gorp's full-rank part at the method's default rate, as a job without a learning rate gets it.
     */
    public static Method defaults(MethodType type) {
        Method method = new Method(type).lora(lora(type, null, null)).largo(largo(type, null)).gorp(gorp(type, null));
        if (method.getGorp() != null) {
            method.getGorp().setFullRankLearningRate(method(type).defaultLearningRate());
        }
        return method;
    }

    /**
     * A task with its defaults: the name {@code task-<n>} (n from 1) when none is given, which must differ from
     * the names of {@code earlier} tasks.
     *
     * @param param the task's JSON path, for errors
     */
    public static ContinualTask task(ContinualTask given, String param, List<ContinualTask> earlier) {
        String name = given.getName() != null ? given.getName() : TASK_NAME_PREFIX + (earlier.size() + 1);
        for (int j = 0; j < earlier.size(); j++) {
            if (earlier.get(j).getName().equals(name)) {
                throw ApiProblem.invalidParam(param + ".name", "'" + name + "' is the name of task " + j
                        + " already; the tasks of a job need distinct names");
            }
        }
        return new ContinualTask(given.getTrainingDataset(), copySplits(given.getEvaluationSplits())).name(name);
    }

    private static void requireContinualMethod(MethodType type, CreateFineTuningJobRequest request) {
        if (request.getTrainingDataset() != null || request.getEvaluationSplits() != null) {
            throw ApiProblem.badParam(request.getTrainingDataset() != null ? "training_dataset" : "evaluation_splits",
                    "a continual job names its data in tasks; give either tasks or training_dataset with"
                            + " evaluation_splits");
        }
        if (!CONTINUAL.contains(type)) {
            throw ApiProblem.invalidParam("method.type", type + " does not train continually; a job with tasks takes "
                    + names(CONTINUAL));
        }
    }

    private static void requireSingleTask(MethodType type, CreateFineTuningJobRequest request) {
        if (request.getTrainingDataset() == null) {
            throw ApiProblem.badParam("training_dataset", "is required (or tasks, for a continual job)");
        }
        if (request.getEvaluationSplits() == null) {
            throw ApiProblem.badParam("evaluation_splits", "is required with training_dataset");
        }
        if (CONTINUAL_ONLY.contains(type)) {
            throw ApiProblem.invalidParam("method.type", type + " trains a sequence of tasks; give tasks instead of"
                    + " training_dataset and evaluation_splits");
        }
    }

    private static dev.largo.worker.engine.method.Method method(MethodType type) {
        return MethodRegistry.get(type.getValue());
    }

    private static Set<MethodType> methods(Predicate<dev.largo.worker.engine.method.Method> which) {
        Set<MethodType> types = EnumSet.noneOf(MethodType.class);
        for (MethodType type : MethodType.values()) {
            if (which.test(method(type))) {
                types.add(type);
            }
        }
        return types;
    }

    private static String names(Set<MethodType> types) {
        return String.join(", ", types.stream().map(MethodType::getValue).toList());
    }

    private static GorpConfig gorp(MethodType type, GorpConfig given) {
        if (type != MethodType.GORP) {
            if (given != null) {
                throw ApiProblem.invalidParam("method.gorp", "applies only to gorp, not " + type);
            }
            return null;
        }
        // the generated model starts its scalar fields at the contract's defaults; the lists stay null
        GorpConfig gorp = given == null ? new GorpConfig() : given;
        List<String> loraTargets = orDefault(gorp.getLoraTargets(), GORP_DEFAULTS.loraTargets());
        List<String> fullRankTargets = orDefault(gorp.getFullRankTargets(), GORP_DEFAULTS.fullRankTargets());
        if (loraTargets.isEmpty() && fullRankTargets.isEmpty()) {
            throw ApiProblem.invalidParam("method.gorp.lora_targets", "and method.gorp.full_rank_targets are both"
                    + " empty; gorp needs at least one module to train");
        }
        for (String target : loraTargets) {
            if (fullRankTargets.contains(target)) {
                throw ApiProblem.invalidParam("method.gorp.full_rank_targets", "module '" + target
                        + "' is a LoRA target too; a module is trained one way or the other");
            }
        }
        return new GorpConfig()
                .rank(orDefault(gorp.getRank(), GORP_DEFAULTS.rank()))
                .alpha(orDefault(gorp.getAlpha(), GORP_DEFAULTS.alpha()))
                .loraTargets(new ArrayList<>(loraTargets))
                .fullRankTargets(new ArrayList<>(fullRankTargets))
                .galoreRank(orDefault(gorp.getGaloreRank(), GORP_DEFAULTS.galoreRank()))
                .refreshSteps(orDefault(gorp.getRefreshSteps(), GORP_DEFAULTS.refreshSteps()))
                .galoreScale(orDefault(gorp.getGaloreScale(), GORP_DEFAULTS.galoreScale()))
                .energyThreshold(orDefault(gorp.getEnergyThreshold(), GORP_DEFAULTS.energyThreshold()))
                .fullRankLearningRate(gorp.getFullRankLearningRate());
    }

    private static LoraConfig lora(MethodType type, LoraConfig given, List<String> modelTargets) {
        if (!LOW_RANK.contains(type)) {
            if (given != null) {
                throw ApiProblem.invalidParam("method.lora", "applies only to lora, pissa and largo, not " + type
                        + (type == MethodType.GORP ? " (gorp's low-rank part is set in method.gorp)" : ""));
            }
            return null;
        }
        LoraConfig lora = given == null ? new LoraConfig() : given;
        var defaults = method(type).traits().lora();
        LoraInit prescribed = LoraInit.fromValue(defaults.init().id());
        LoraInit init = method(type).traits().initConfigurable() ? (lora.getInit() == null ? prescribed : lora.getInit())
                : requireInit(lora.getInit(), prescribed, type);
        List<String> targets = lora.getTargetModules() == null || lora.getTargetModules().isEmpty()
                ? (modelTargets != null ? modelTargets : defaults.targetModules()) : List.copyOf(lora.getTargetModules());
        return new LoraConfig()
                .r(orDefault(lora.getR(), defaults.r()))
                .alpha(orDefault(lora.getAlpha(), defaults.alpha()))
                .targetModules(new ArrayList<>(targets))
                .init(init);
    }

    private static LoraInit requireInit(LoraInit given, LoraInit required, MethodType type) {
        if (given != null && given != required) {
            throw ApiProblem.invalidParam("method.lora.init", type + " always initialises " + required
                    + "; use method type largo to choose another init");
        }
        return required;
    }

    private static LargoConfig largo(MethodType type, LargoConfig given) {
        if (!PROJECTED.contains(type)) {
            if (given != null) {
                throw ApiProblem.invalidParam("method.largo", "applies only to largo and ftp, not " + type);
            }
            return null;
        }
        LargoConfig largo = given == null ? new LargoConfig() : given;
        var defaults = method(type).traits().largo();
        return new LargoConfig()
                .kappa(orDefault(largo.getKappa(), decimal(defaults.kappa())))
                .mu(orDefault(largo.getMu(), decimal(defaults.mu())))
                .norm(orDefault(largo.getNorm(), ProjectionNorm.fromValue(defaults.norm().id())))
                .gammaInit(orDefault(largo.getGammaInit(), decimal(defaults.gammaInit())));
    }

    private static Hyperparameters hyperparameters(MethodType type, Hyperparameters given) {
        Hyperparameters h = given == null ? new Hyperparameters() : given;
        Hyperparameters out = new Hyperparameters()
                .epochs(orDefault(h.getEpochs(), 3))
                .batchSize(orDefault(h.getBatchSize(), 64))
                .learningRate(h.getLearningRate() != null ? h.getLearningRate()
                        : method(type).defaultLearningRate())
                .weightDecay(orDefault(h.getWeightDecay(), 0.0))
                .warmupRatio(orDefault(h.getWarmupRatio(), 0.1))
                .gradClip(orDefault(h.getGradClip(), 1.0))
                .headWarmupEpochs(orDefault(h.getHeadWarmupEpochs(), 0))
                .evalEveryEpochs(orDefault(h.getEvalEveryEpochs(), 1))
                .checkpointEveryEpochs(orDefault(h.getCheckpointEveryEpochs(), 1))
                // used by text models only; kept for every job so a spec reads the same whatever its model
                .maxSeqLength(orDefault(h.getMaxSeqLength(), TextTokenizer.DEFAULT_MAX_SEQ_LENGTH));
        if (type != MethodType.LINEAR_PROBE && out.getHeadWarmupEpochs() >= out.getEpochs()) {
            throw ApiProblem.invalidParam("hyperparameters.head_warmup_epochs", "must be less than epochs ("
                    + out.getEpochs() + "), or only the head would ever train");
        }
        return out;
    }

    private static List<EvaluationSplit> copySplits(List<EvaluationSplit> splits) {
        List<EvaluationSplit> copy = new ArrayList<>();
        for (EvaluationSplit split : splits) {
            copy.add(new EvaluationSplit(split.getDataset(), split.getKind()).domain(split.getDomain()));
        }
        return copy;
    }

    private static Map<String, String> metadata(Map<String, String> given) {
        Map<String, String> out = new TreeMap<>();
        if (given == null) {
            return out;
        }
        given.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > METADATA_KEY_MAX) {
                throw ApiProblem.invalidParam("metadata", "keys are 1 to " + METADATA_KEY_MAX + " characters");
            }
            if (value == null || value.length() > METADATA_VALUE_MAX) {
                throw ApiProblem.invalidParam("metadata." + key,
                        "values are strings of at most " + METADATA_VALUE_MAX + " characters");
            }
            out.put(key, value);
        });
        return out;
    }

    /** The engine keeps the projection's settings in float; the spec says them as the decimal the float is (0.01). */
    private static double decimal(float value) {
        return Double.parseDouble(Float.toString(value));
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
