package dev.largo.service.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.api.model.ContinualTask;
import dev.largo.api.model.CreateFineTuningJobRequest;
import dev.largo.api.model.EvaluationSplit;
import dev.largo.api.model.FineTuningMethod;
import dev.largo.api.model.Hyperparameters;
import dev.largo.api.model.LargoConfig;
import dev.largo.api.model.LoraConfig;
import dev.largo.api.model.LoraInit;
import dev.largo.api.model.Method;
import dev.largo.api.model.MethodType;
import dev.largo.api.model.SplitKind;
import dev.largo.service.methods.MethodsController;
import dev.largo.worker.engine.method.MethodRegistry;
import dev.largo.worker.engine.method.gorp.GorpConfig;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract (openapi.yaml, through the models generated from it) and the engine's method registry say the
 * same thing: the same methods, and the same defaults for every setting both of them name. A method added to one
 * and not the other, or a default changed on one side only, fails here.
 */
class MethodContractTest {

    @Test
    void theContractsMethodsAreTheRegistrys() {
        assertThat(Arrays.stream(MethodType.values()).map(MethodType::getValue).toList())
                .containsExactlyElementsOf(MethodRegistry.all().stream().map(m -> m.id()).toList());
    }

    @Test
    void theContractsLoraLargoAndGorpDefaultsAreTheEngines() {
        LoraConfig lora = new LoraConfig();
        assertThat(lora.getR()).isEqualTo(dev.largo.worker.engine.method.lora.LoraConfig.DEFAULT_R);
        assertThat(lora.getAlpha()).isEqualTo(dev.largo.worker.engine.method.lora.LoraConfig.DEFAULT_ALPHA);
        assertThat(Arrays.stream(LoraInit.values()).map(LoraInit::getValue).toList()).containsExactlyElementsOf(
                Arrays.stream(dev.largo.worker.engine.method.lora.LoraInit.values()).map(i -> i.id()).toList());

        var engineLargo = dev.largo.worker.engine.method.largo.LargoConfig.DEFAULT;
        LargoConfig largo = new LargoConfig();
        assertThat(largo.getKappa().floatValue()).isEqualTo(engineLargo.kappa());
        assertThat(largo.getMu().floatValue()).isEqualTo(engineLargo.mu());
        assertThat(largo.getGammaInit().floatValue()).isEqualTo(engineLargo.gammaInit());

        var gorp = new dev.largo.api.model.GorpConfig();
        GorpConfig engineGorp = GorpConfig.DEFAULT;
        assertThat(List.of(gorp.getRank(), gorp.getGaloreRank(), gorp.getRefreshSteps()))
                .containsExactly(engineGorp.rank(), engineGorp.galoreRank(), engineGorp.refreshSteps());
        assertThat(List.of(gorp.getAlpha(), gorp.getGaloreScale(), gorp.getEnergyThreshold()))
                .containsExactly(engineGorp.alpha(), engineGorp.galoreScale(), engineGorp.energyThreshold());
    }

    /**
     * {@code GET /v1/methods} (what the dashboard's form reads) says what each method's registration declares, and
     * its defaults are exactly what a job naming only the method gets.
     */
    @Test
    void theMethodListIsTheRegistrysDeclarations() {
        List<FineTuningMethod> listed = MethodsController.list().getData();
        assertThat(listed).extracting(m -> m.getType().getValue())
                .containsExactlyElementsOf(MethodRegistry.all().stream().map(m -> m.id()).toList());
        for (FineTuningMethod m : listed) {
            var traits = MethodRegistry.get(m.getType().getValue()).traits();
            assertThat(List.of(m.getLabel(), m.getDescription())).containsExactly(traits.label(), traits.description());
            assertThat(List.of(m.getSingleTask(), m.getContinual(), m.getLoraInitConfigurable(),
                    m.getTrainsBaseWeights())).as(traits.id()).containsExactly(traits.singleTask(),
                    traits.continual(), traits.initConfigurable(), traits.trainsBaseWeights());
            assertThat(m.getDefaultLearningRate()).isEqualTo(traits.learningRate());
            assertThat(m.getSettings()).extracting(FineTuningMethod.SettingsEnum::getValue).as(traits.id())
                    .containsExactlyElementsOf(java.util.stream.Stream.of(
                            traits.lora() != null ? "lora" : null, traits.largo() != null ? "largo" : null,
                            traits.gorp() != null ? "gorp" : null).filter(java.util.Objects::nonNull).toList());
            Method defaults = m.getDefaults();
            if (traits.lora() != null) {
                assertThat(List.of(defaults.getLora().getR(), defaults.getLora().getAlpha(),
                        defaults.getLora().getTargetModules(), defaults.getLora().getInit().getValue()))
                        .as(traits.id()).containsExactly(traits.lora().r(), traits.lora().alpha(),
                                traits.lora().targetModules(), traits.lora().init().id());
            }
            if (traits.largo() != null) {
                assertThat(List.of(defaults.getLargo().getKappa().floatValue(), defaults.getLargo().getMu().floatValue(),
                        defaults.getLargo().getGammaInit().floatValue())).as(traits.id())
                        .containsExactly(traits.largo().kappa(), traits.largo().mu(), traits.largo().gammaInit());
                assertThat(defaults.getLargo().getNorm().getValue()).isEqualTo(traits.largo().norm().id());
            }
            if (traits.gorp() != null) {
                assertThat(List.of(defaults.getGorp().getLoraTargets(), defaults.getGorp().getFullRankTargets()))
                        .containsExactly(traits.gorp().loraTargets(), traits.gorp().fullRankTargets());
            }
            assertThat(defaults).as(traits.id()).isEqualTo(completed(m.getType(), traits.singleTask()).getMethod());
        }
    }

    private static CreateFineTuningJobRequest completed(MethodType type, boolean singleTask) {
        var request = new CreateFineTuningJobRequest().baseModel("m").method(new Method(type));
        var splits = List.of(new EvaluationSplit(UUID.randomUUID(), SplitKind.ID));
        return JobSpecDefaults.complete(singleTask ? request.trainingDataset(UUID.randomUUID()).evaluationSplits(splits)
                : request.tasks(List.of(new ContinualTask(UUID.randomUUID(), splits))));
    }

    /** What the service completes a bare request with is what the engine's registry and defaults hold. */
    @Test
    void aCompletedSpecCarriesTheRegistrysDefaultsForEveryMethod() {
        for (MethodType type : MethodType.values()) {
            var method = MethodRegistry.get(type.getValue());
            if (!method.traits().singleTask()) {
                continue;
            }
            CreateFineTuningJobRequest spec = completed(type, true);
            assertThat(spec.getHyperparameters().getLearningRate()).as(type.getValue())
                    .isEqualTo(method.defaultLearningRate());
            assertThat(spec.getMethod().getLora() == null ? null : spec.getMethod().getLora().getInit().getValue())
                    .as(type.getValue()).isEqualTo(method.traits().loraInit() == null ? null : method.traits().loraInit().id());
            assertThat(spec.getMethod().getLargo() != null).as(type.getValue()).isEqualTo(method.traits().projected());
            if (spec.getMethod().getLargo() != null) {
                assertThat(spec.getMethod().getLargo().getNorm().getValue())
                        .isEqualTo(dev.largo.worker.engine.method.largo.LargoConfig.DEFAULT.norm().id());
            }
            if (spec.getMethod().getLora() != null) {
                assertThat(spec.getMethod().getLora().getTargetModules())
                        .isEqualTo(dev.largo.worker.engine.method.lora.LoraConfig.DEFAULT_TARGETS);
            }
            Hyperparameters h = spec.getHyperparameters();
            var engine = dev.largo.worker.engine.train.Hyperparameters.defaults(
                    dev.largo.worker.engine.train.MethodType.fromId(type.getValue()));
            assertThat(List.of(h.getEpochs(), h.getBatchSize(), h.getHeadWarmupEpochs(), h.getEvalEveryEpochs(),
                    h.getCheckpointEveryEpochs())).as(type.getValue()).containsExactly(engine.epochs(),
                    engine.batchSize(), engine.headWarmupEpochs(), engine.evalEveryEpochs(),
                    engine.checkpointEveryEpochs());
            assertThat(List.of(h.getWeightDecay(), h.getWarmupRatio(), h.getGradClip(), h.getLearningRate()))
                    .as(type.getValue()).containsExactly(engine.weightDecay(), engine.warmupRatio(),
                            engine.gradClip(), engine.learningRate());
        }
    }
}
