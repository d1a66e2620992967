package dev.largo.worker.sentiment;

import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.model.Architecture;
import dev.largo.worker.engine.model.InputSettings;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.model.ModelRegistry;
import dev.largo.worker.engine.model.bert.BertModels;
import java.io.IOException;
import java.nio.file.Path;

/** The benchmark's model folder as a run uses it: its config, its architecture, its tokenizer inputs. */
record SentimentModel(Path folder, ModelConfig config, Architecture architecture) {

    static SentimentModel open(String directory) throws IOException {
        Path folder = Path.of(directory);
        ModelConfig config = BertModels.config(folder);
        return new SentimentModel(folder, config, ModelRegistry.of(config));
    }

    Path weights() {
        return folder.resolve(BertModels.WEIGHTS);
    }

    /** The folder's tokenizer truncating to {@code maxSeqLength}; close it after the run. */
    ModelInputs inputs(int maxSeqLength) throws IOException {
        return architecture.inputs(config, InputSettings.defaults(folder).withMaxSeqLength(maxSeqLength));
    }
}
