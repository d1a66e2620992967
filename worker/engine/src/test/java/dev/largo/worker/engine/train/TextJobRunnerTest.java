package dev.largo.worker.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.data.TextDataset;
import dev.largo.worker.engine.data.TokenInputs;
import dev.largo.worker.engine.eval.EvalSplit;
import dev.largo.worker.engine.eval.EvaluationReport;
import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.SafeTensorsFile;
import dev.largo.worker.engine.model.Architecture;
import dev.largo.worker.engine.model.InputSettings;
import dev.largo.worker.engine.model.ModelRegistry;
import dev.largo.worker.engine.model.bert.BertModels;
import dev.largo.worker.engine.model.bert.EncoderConfig;
import dev.largo.worker.engine.model.bert.TinyTextModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The job runner on a text model: a small random BERT in a sentence-transformers folder (no pooler, no head) with
 * its tokenizer, a synthetic sentiment task. Every single-task method trains and evaluates through the same
 * runner as images (base reference, per-epoch evaluations, checkpoints, PEFT export with BERT names); a run
 * cancelled mid-epoch and resumed from its checkpoint ends exactly where the uninterrupted run ends.
 */
class TextJobRunnerTest {

    private static final int EPOCHS = 3;
    private static final int BATCH = 8;

    @TempDir
    static Path shared;
    static Path folder;
    static EncoderConfig config;
    static TextDataset train;
    static TextDataset test;

    @TempDir
    Path work;

    @BeforeAll
    static void model() throws IOException {
        folder = TinyTextModel.folder(shared.resolve("model"), 5);
        config = BertModels.config(folder);
        train = TinyTextModel.sentiment(64, 1);
        test = TinyTextModel.sentiment(48, 2);
    }

    @ParameterizedTest
    @EnumSource(value = MethodType.class, names = {"LINEAR_PROBE", "FULL", "FTP", "LORA", "PISSA", "LARGO"})
    void everyMethodTrainsAndEvaluatesATextModel(MethodType type) throws IOException {
        List<EvaluationReport> reported = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onEvaluation(EvaluationReport report) {
                reported.add(report);
            }

        };
        JobResult result = new JobRunner(job(type, 7), work, listener, () -> false).run(null);

        assertThat(result.steps()).isEqualTo(EPOCHS * (64 / BATCH));
        assertThat(result.reference()).isNotNull();
        assertThat(result.evaluations()).hasSize(EPOCHS);
        assertThat(reported).hasSize(EPOCHS + 1);
        EvaluationReport last = result.finalEvaluation();
        assertThat(last.splits()).hasSize(1);
        assertThat(last.splits().get(0).metrics().count()).isEqualTo(48);
        assertThat(last.splits().get(0).metrics().meanLoss()).isFinite();
        // the base's features carry the label (TinyTextModel): every method, new pooler and head included, learns it
        assertThat(last.splits().get(0).metrics().accuracy()).as("%s accuracy", type).isGreaterThan(0.75);
        assertThat(result.lastCheckpoint().getFileName().toString()).isEqualTo("epoch-003.safetensors");

        assertThat(result.adapter().hasAdapter()).isEqualTo(type.usesLora());
        if (type.usesLora()) {
            try (ZipFile zip = new ZipFile(result.adapterZip().toFile())) {
                String config = new String(zip.getInputStream(zip.getEntry("adapter_config.json")).readAllBytes());
                assertThat(config).contains("\"pooler.dense\"", "\"classifier\"", "\"query\"", "\"output.dense\"",
                        "\"intermediate.dense\"");
                Path weights = work.resolve("adapter_model.safetensors");
                Files.write(weights, zip.getInputStream(zip.getEntry("adapter_model.safetensors")).readAllBytes());
                assertThat(SafeTensors.readHeader(weights).tensors().keySet()).contains(
                        "base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight",
                        "base_model.model.bert.encoder.layer.1.output.dense.lora_B.weight",
                        "base_model.model.bert.pooler.dense.weight", "base_model.model.classifier.weight")
                        .noneMatch(name -> name.contains("pooler.dense.lora_"));
            }
        }
        assertThat(result.mergedModel().resolve("model.safetensors")).exists();
    }

    @Test
    void aCancelledRunResumedFromItsCheckpointEndsAsTheUninterruptedOne() throws IOException {
        JobResult uninterrupted = new JobRunner(job(MethodType.LARGO, 11), work.resolve("a"), TrainingListener.NONE,
                () -> false).run(null);

        AtomicLong steps = new AtomicLong();
        Path[] checkpoint = {null};
        TrainingListener counting = new TrainingListener() {
            @Override
            public void onStep(StepProgress progress) {
                steps.set(progress.step());
            }

            @Override
            public void onCheckpoint(int epoch, long step, Path file) {
                checkpoint[0] = file;
            }
        };
        Path second = work.resolve("b");
        assertThatThrownBy(() -> new JobRunner(job(MethodType.LARGO, 11), second, counting, () -> steps.get() >= 10)
                .run(null)).isInstanceOf(TrainingCancelledException.class);
        assertThat(checkpoint[0].getFileName().toString()).isEqualTo("step-000000010.safetensors");
        JobResult resumed = new JobRunner(job(MethodType.LARGO, 11), second, TrainingListener.NONE, () -> false)
                .run(checkpoint[0]);

        assertThat(resumed.steps()).isEqualTo(uninterrupted.steps());
        assertThat(resumed.reference()).isEqualTo(uninterrupted.reference());
        assertThat(resumed.finalEvaluation()).isEqualTo(uninterrupted.finalEvaluation());
        Map<String, float[]> expected = weights(uninterrupted.mergedModel());
        Map<String, float[]> actual = weights(resumed.mergedModel());
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        assertThat(expected.keySet().stream().filter(name -> !java.util.Arrays.equals(expected.get(name),
                actual.get(name)))).as("tensors that differ").isEmpty();
    }

    @Test
    void aDatasetIsTokenizedOncePerJob() throws IOException {
        Architecture architecture = ModelRegistry.of(config);
        TokenInputs inputs = (TokenInputs) architecture.inputs(config, InputSettings.defaults(folder).withMaxSeqLength(6));
        assertThat(inputs.tokens(train)).isSameAs(inputs.tokens(train));
        assertThat(java.util.Arrays.stream(inputs.tokens(train).ids()).mapToInt(row -> row.length))
                .allSatisfy(length -> assertThat(length).isBetween(3, 6)).contains(6);
    }

    private static TrainingJob job(MethodType type, long seed) throws IOException {
        Architecture architecture = ModelRegistry.of(config);
        Hyperparameters hyper = new Hyperparameters(EPOCHS, BATCH, type == MethodType.FULL || type == MethodType.FTP
                ? 3e-3 : 3e-2, 0, 0.1, 1, 0, 1, 1, 32);
        ModelInputs inputs = architecture.inputs(config, InputSettings.defaults(folder).withMaxSeqLength(32));
        return new TrainingJob("tiny-bert", config, folder.resolve(BertModels.WEIGHTS), train,
                List.of(new EvalSplit("test", SplitKind.ID, "synthetic", test)),
                MethodConfig.defaults(type, architecture.defaultLoraTargets()), hyper, seed, 1, inputs);
    }

    private static Map<String, float[]> weights(Path merged) throws IOException {
        Map<String, float[]> values = new HashMap<>();
        try (SafeTensorsFile file = SafeTensors.open(merged.resolve("model.safetensors"))) {
            for (String name : file.header().tensors().keySet()) {
                values.put(name, file.readFloats(name));
            }
        }
        return values;
    }
}
