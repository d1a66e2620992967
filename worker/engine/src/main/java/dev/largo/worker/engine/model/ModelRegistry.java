package dev.largo.worker.engine.model;

import dev.largo.worker.engine.model.bert.BertArchitecture;
import dev.largo.worker.engine.model.bert.EncoderFamily;
import dev.largo.worker.engine.model.mlp.MlpArchitecture;
import dev.largo.worker.engine.model.vit.VitArchitecture;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The architectures the engine supports, in one place: a new one is registered here and nowhere else. */
public final class ModelRegistry {

    private static final List<Architecture> ARCHITECTURES = List.of(new VitArchitecture(), new MlpArchitecture(),
            new BertArchitecture(EncoderFamily.BERT), new BertArchitecture(EncoderFamily.DISTILBERT));

    private ModelRegistry() {
    }

    public static List<Architecture> all() {
        return ARCHITECTURES;
    }

    public static Optional<Architecture> find(String modelType) {
        return ARCHITECTURES.stream().filter(a -> a.modelType().equals(modelType)).findFirst();
    }

    /** The architecture that parsed {@code config}. */
    public static Architecture of(ModelConfig config) {
        return find(config.modelType()).orElseThrow(() -> new IllegalStateException(
                "no registered architecture has model_type " + config.modelType()));
    }

    /** The supported {@code model_type} values, quoted, for error messages: {@code "vit", "largo_mlp"}. */
    public static String supported() {
        return ARCHITECTURES.stream().map(a -> "\"" + a.modelType() + "\"").collect(Collectors.joining(", "));
    }
}
