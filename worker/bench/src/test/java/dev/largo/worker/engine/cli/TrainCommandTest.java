package dev.largo.worker.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.largo.worker.engine.data.DatasetWriter;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.testing.SyntheticImages;
import dev.largo.worker.engine.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The local CLI end to end on a tiny job: outputs, progress lines, and resuming from a checkpoint. */
class TrainCommandTest {

    @TempDir
    Path dir;

    @Test
    void trainsWritesEverythingAndResumesToTheSameResult() throws Exception {
        ModelConfig config = TinyModels.grayVit(3); // the task has 4 classes: a new head replaces this one
        Files.createDirectories(dir.resolve("base"));
        Files.writeString(dir.resolve("base/config.json"), config.toJson());
        try (NDManager manager = NDManager.newBaseManager()) {
            SafeTensors.writeNDArrays(dir.resolve("base/model.safetensors"),
                    TinyModels.randomTensors(config, 11, 0.3, DataType.FLOAT32, manager), Map.of());
        }
        DatasetWriter.writeSafetensors(SyntheticImages.quadrants(64, 4, 8, 1), dir.resolve("train.safetensors"));
        DatasetWriter.writeSafetensors(SyntheticImages.quadrants(32, 4, 8, 2), dir.resolve("test.safetensors"));
        Files.writeString(dir.resolve("job.json"), """
                {"base_model": "base",
                 "training_dataset": {"path": "train.safetensors"},
                 "evaluation_splits": [
                   {"dataset": "test.safetensors", "kind": "id", "domain": "clean"},
                   {"dataset": {"path": "test.safetensors", "format": "safetensors"}, "kind": "ood", "domain": "copy"}],
                 "method": {"type": "largo", "lora": {"r": 4, "alpha": 8}, "largo": {"mu": 0.05}},
                 "hyperparameters": {"epochs": 2, "batch_size": 16, "learning_rate": 0.005, "head_warmup_epochs": 1},
                 "seed": 3,
                 "reference_epochs": 2}""");

        Path out = dir.resolve("out");
        String console = run("--config", dir.resolve("job.json").toString(), "--out", out.toString());
        assertThat(console).contains("[head_warmup] epoch 1/3  step 1/12").contains("[train] epoch 3/3  step 12/12")
                .contains("ms/step  ETA").contains("base reference").contains("OOD worst");

        List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertThat(metrics.stream().filter(l -> l.contains("\"event\":\"step\""))).hasSize(12);
        assertThat(metrics.stream().filter(l -> l.contains("\"gamma\""))).hasSize(8); // the projected phase only
        assertThat(metrics.stream().filter(l -> l.contains("\"event\":\"checkpoint\""))).hasSize(3);

        JsonNode evaluation = Json.MAPPER.readTree(Files.readString(out.resolve("evaluation.json")));
        assertThat(evaluation.get("method").asString()).isEqualTo("largo");
        assertThat(evaluation.get("evaluations")).hasSize(3);
        assertThat(evaluation.get("base_reference").get("model").asString()).isEqualTo("base");
        JsonNode summary = evaluation.get("final").get("summary");
        assertThat(summary.get("id_accuracy").doubleValue()).isBetween(0.0, 1.0);
        // The OOD split is the same data as the ID one here, so both summaries agree.
        assertThat(summary.get("ood_worst_accuracy").doubleValue()).isEqualTo(summary.get("id_accuracy").doubleValue());
        // r 4 per block: q, k, v, attention.output 4 x (4*16 + 16*4), intermediate 4*16 + 32*4, output 4*32 + 16*4;
        // two blocks, plus the 4-label head 4*16 + 4.
        assertThat(evaluation.get("trainable_parameters").longValue()).isEqualTo(2 * (4 * 128 + 192 + 192) + 68);
        try (ZipFile zip = new ZipFile(out.resolve("adapter.zip").toFile())) {
            assertThat(zip.stream().map(e -> e.getName()).toList())
                    .containsExactly("adapter_config.json", "adapter_model.safetensors", "README.md");
        }
        assertThat(out.resolve("merged/model.safetensors")).exists();
        assertThat(Files.readString(out.resolve("merged/config.json"))).contains("\"class3\"");

        // A second attempt resumed from the end of epoch 2 reaches exactly the same final evaluation.
        Path resumed = dir.resolve("resumed");
        String second = run("--config", dir.resolve("job.json").toString(), "--out", resumed.toString(), "--resume",
                out.resolve("checkpoints/epoch-002.safetensors").toString());
        assertThat(second).contains("resuming from epoch-002.safetensors (epoch 2, step 8)").doesNotContain("step 1/12");
        JsonNode again = Json.MAPPER.readTree(Files.readString(resumed.resolve("evaluation.json")));
        assertThat(again.get("final").get("splits")).isEqualTo(evaluation.get("final").get("splits"));
        assertThat(again.get("base_reference")).isEqualTo(evaluation.get("base_reference"));
    }

    private static String run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            String[] command = new String[args.length + 1];
            command[0] = "train";
            System.arraycopy(args, 0, command, 1, args.length);
            assertThat(LargoCli.execute(out, command)).isZero();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
