package dev.largo.service.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.largo.api.model.CreateFineTuningJobRequest;
import dev.largo.api.model.EvaluationSplit;
import dev.largo.api.model.Hyperparameters;
import dev.largo.api.model.LargoConfig;
import dev.largo.api.model.LoraConfig;
import dev.largo.api.model.LoraInit;
import dev.largo.api.model.Method;
import dev.largo.api.model.MethodType;
import dev.largo.api.model.SplitKind;
import dev.largo.service.errors.ApiProblem;

class JobSpecDefaultsTest {

    @Test
    void givenValuesAreKeptAndTheRestFilledIn() {
        CreateFineTuningJobRequest request = request(new Method(MethodType.LARGO)
                .lora(new LoraConfig().r(4).targetModules(List.of("query")).init(LoraInit.SVD_MINOR))
                .largo(new LargoConfig().kappa(0.25)))
                .hyperparameters(new Hyperparameters().epochs(5).learningRate(3e-4))
                .seed(7L)
                .metadata(Map.of("b", "2", "a", "1"));

        CreateFineTuningJobRequest spec = JobSpecDefaults.complete(request);

        assertThat(spec.getMethod().getLora().getR()).isEqualTo(4);
        assertThat(spec.getMethod().getLora().getAlpha()).isEqualTo(16.0);
        assertThat(spec.getMethod().getLora().getInit()).isEqualTo(LoraInit.SVD_MINOR);
        assertThat(spec.getMethod().getLora().getTargetModules()).containsExactly("query");
        assertThat(spec.getMethod().getLargo().getKappa()).isEqualTo(0.25);
        assertThat(spec.getMethod().getLargo().getGammaInit()).isEqualTo(1e-8);
        assertThat(spec.getHyperparameters().getEpochs()).isEqualTo(5);
        assertThat(spec.getHyperparameters().getLearningRate()).isEqualTo(3e-4);
        assertThat(spec.getHyperparameters().getBatchSize()).isEqualTo(64);
        assertThat(spec.getSeed()).isEqualTo(7L);
        assertThat(spec.getMetadata().keySet()).containsExactly("a", "b");
        // the request itself is not modified
        assertThat(request.getMethod().getLora().getAlpha()).isEqualTo(16.0);
        assertThat(request.getHyperparameters().getBatchSize()).isEqualTo(64);
    }

    @Test
    void defaultLearningRateDependsOnWhatTrains() {
        assertThat(lr(MethodType.FULL)).isEqualTo(1e-4);
        assertThat(lr(MethodType.FTP)).isEqualTo(1e-4);
        assertThat(lr(MethodType.LORA)).isEqualTo(1e-3);
        assertThat(lr(MethodType.PISSA)).isEqualTo(1e-3);
        assertThat(lr(MethodType.LARGO)).isEqualTo(1e-3);
        assertThat(lr(MethodType.LINEAR_PROBE)).isEqualTo(1e-3);
    }

    @Test
    void initFollowsTheMethodTable() {
        assertThat(init(MethodType.LORA)).isEqualTo(LoraInit.GAUSSIAN);
        assertThat(init(MethodType.PISSA)).isEqualTo(LoraInit.SVD_PRINCIPAL);
        assertThat(init(MethodType.LARGO)).isEqualTo(LoraInit.SVD_PRINCIPAL);
        assertRefused(request(new Method(MethodType.LORA).lora(new LoraConfig().init(LoraInit.SVD_MINOR))),
                "method.lora.init");
    }

    @Test
    void configsThatDoNotApplyAreRefused() {
        assertRefused(request(new Method(MethodType.FULL).lora(new LoraConfig())), "method.lora");
        assertRefused(request(new Method(MethodType.LORA).largo(new LargoConfig())), "method.largo");
        assertThat(JobSpecDefaults.complete(request(new Method(MethodType.FTP))).getMethod().getLargo()).isNotNull();
        assertThat(JobSpecDefaults.complete(request(new Method(MethodType.LINEAR_PROBE))).getMethod().getLargo()).isNull();
    }

    @Test
    void everyMethodTakesAHeadWarmupBeforeItsOwnEpochs() {
        // LP-FT (Kumar et al. 2022): the warm-up precedes the epochs, so it may be as long as they are or longer
        for (MethodType type : MethodType.values()) {
            if (type == MethodType.GORP || type == MethodType.JOINT) {
                continue; // continual only: their jobs have tasks, not one training dataset
            }
            Hyperparameters completed = JobSpecDefaults.complete(request(new Method(type))
                    .hyperparameters(new Hyperparameters().epochs(3).headWarmupEpochs(5))).getHyperparameters();
            assertThat(completed.getHeadWarmupEpochs()).as(type.getValue()).isEqualTo(5);
            assertThat(completed.getEpochs()).as(type.getValue()).isEqualTo(3);
        }
    }

    @Test
    void metadataValuesAreBounded() {
        assertRefused(request(new Method(MethodType.LORA)).metadata(Map.of("note", "x".repeat(513))), "metadata.note");
    }

    private static double lr(MethodType type) {
        return JobSpecDefaults.complete(request(new Method(type))).getHyperparameters().getLearningRate();
    }

    private static LoraInit init(MethodType type) {
        return JobSpecDefaults.complete(request(new Method(type))).getMethod().getLora().getInit();
    }

    private static void assertRefused(CreateFineTuningJobRequest request, String param) {
        assertThatThrownBy(() -> JobSpecDefaults.complete(request))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.fields().get(0).param()).isEqualTo(param));
    }

    private static CreateFineTuningJobRequest request(Method method) {
        UUID data = UUID.randomUUID();
        return new CreateFineTuningJobRequest("vit", method).trainingDataset(data)
                .evaluationSplits(List.of(new EvaluationSplit(data, SplitKind.ID)));
    }
}
