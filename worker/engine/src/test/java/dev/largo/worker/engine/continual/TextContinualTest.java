package dev.largo.worker.engine.continual;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.data.TextDataset;
import dev.largo.worker.engine.eval.EvalSplit;
import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.method.gorp.GorpConfig;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.SafeTensorsFile;
import dev.largo.worker.engine.model.InputSettings;
import dev.largo.worker.engine.model.ModelRegistry;
import dev.largo.worker.engine.model.bert.BertModels;
import dev.largo.worker.engine.model.bert.EncoderConfig;
import dev.largo.worker.engine.model.bert.TinyTextModel;
import dev.largo.worker.engine.train.Hyperparameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continual learning on a text model, domain-incremental with one head: GORP over three text domains on a small
 * BERT (new pooler and head, LoRA on query/value, full-rank intermediate) fills the accuracy matrix, exports BERT
 * names with the new pooler saved whole, and a run continued from a task's end checkpoint ends as the uninterrupted
 * one; a baseline (sequential LoRA) runs in the same harness with the architecture's LoRA targets.
 */
class TextContinualTest {

    private static final Hyperparameters HYPER = new Hyperparameters(2, 8, 3e-2, 0.0, 0.1, 1.0, 0, 1, 1, 32);
    private static final GorpConfig GORP = new GorpConfig(2, 4, List.of("query", "value"),
            List.of("intermediate.dense"), 3, 2, 0.25, 0.9, null);

    @TempDir
    static Path shared;
    static Path folder;
    static EncoderConfig config;

    @TempDir
    Path dir;

    @BeforeAll
    static void model() throws IOException {
        folder = TinyTextModel.folder(shared.resolve("model"), 9);
        config = BertModels.config(folder);
    }

    private static ContinualJob job(ContinualMethod method, int tasks) throws IOException {
        ModelInputs inputs = ModelRegistry.of(config).inputs(config, InputSettings.defaults(folder).withMaxSeqLength(32));
        List<ContinualTask> list = new ArrayList<>();
        String[] names = {"shop", "food", "film"};
        for (int t = 0; t < tasks; t++) {
            TextDataset train = TinyTextModel.sentiment(32, 10 + t);
            TextDataset test = TinyTextModel.sentiment(24, 20 + t);
            list.add(new ContinualTask(names[t], train, List.of(new EvalSplit(names[t] + "-test", SplitKind.ID,
                    names[t], test))));
        }
        return new ContinualJob("tiny-bert", config, folder.resolve(BertModels.WEIGHTS), list, method,
                method == ContinualMethod.GORP ? GORP : null, HYPER, 5, inputs);
    }

    @Test
    void gorpLearnsTextDomainsInSequenceAndContinuesFromATaskEnd() throws Exception {
        ContinualResult full = new ContinualRunner(job(ContinualMethod.GORP, 3), dir.resolve("full"),
                ContinualListener.NONE, () -> false, null).run(null);
        assertThat(full.matrix().rows()).isEqualTo(3);
        assertThat(java.util.Arrays.stream(full.matrix().accuracy()[2]).min().orElseThrow()).isGreaterThan(0.75);
        assertThat(full.matrix().backwardTransfer()).isBetween(-1.0, 1.0);

        TaskOutcome last = full.tasks().get(2);
        try (ZipFile zip = new ZipFile(last.adapterZip().toFile())) {
            String adapterConfig = new String(zip.getInputStream(zip.getEntry("adapter_config.json")).readAllBytes());
            assertThat(adapterConfig).contains("\"pooler.dense\"", "\"intermediate.dense\"", "\"classifier\"");
            Path weights = dir.resolve("adapter_model.safetensors");
            Files.write(weights, zip.getInputStream(zip.getEntry("adapter_model.safetensors")).readAllBytes());
            assertThat(SafeTensors.readHeader(weights).tensors().keySet()).contains(
                    "base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight",
                    "base_model.model.bert.pooler.dense.weight");
        }

        Path continued = dir.resolve("continued");
        new ContinualRunner(job(ContinualMethod.GORP, 1), continued, ContinualListener.NONE, () -> false, null)
                .run(null);
        ContinualResult resumed = new ContinualRunner(job(ContinualMethod.GORP, 3), continued, ContinualListener.NONE,
                () -> false, null).run(continued.resolve("checkpoints/task-00-end.safetensors"));
        // the first row was measured when the job had one task: it lacks the later tasks' (forward transfer) columns
        assertThat(resumed.matrix().accuracy()[0][0]).isEqualTo(full.matrix().accuracy()[0][0]);
        assertThat(resumed.matrix().accuracy()[1]).isEqualTo(full.matrix().accuracy()[1]);
        assertThat(resumed.matrix().accuracy()[2]).isEqualTo(full.matrix().accuracy()[2]);
        assertThat(weights(resumed.tasks().get(resumed.tasks().size() - 1).mergedModel()))
                .isEqualTo(weights(last.mergedModel()));
    }

    @Test
    void aSequentialBaselineUsesTheArchitecturesLoraTargets() throws Exception {
        ContinualResult result = new ContinualRunner(job(ContinualMethod.LORA, 2), dir.resolve("lora"),
                ContinualListener.NONE, () -> false, null).run(null);
        assertThat(result.matrix().rows()).isEqualTo(2);
        try (ZipFile zip = new ZipFile(result.tasks().get(1).adapterZip().toFile())) {
            String adapterConfig = new String(zip.getInputStream(zip.getEntry("adapter_config.json")).readAllBytes());
            assertThat(adapterConfig).contains("\"output.dense\"", "\"intermediate.dense\"", "\"pooler.dense\"");
        }
    }

    private static Map<String, String> weights(Path merged) throws IOException {
        Map<String, String> values = new HashMap<>();
        try (SafeTensorsFile file = SafeTensors.open(merged.resolve("model.safetensors"))) {
            for (String name : file.header().tensors().keySet()) {
                values.put(name, java.util.Arrays.toString(file.readFloats(name)));
            }
        }
        return values;
    }
}
