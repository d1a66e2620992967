package dev.largo.worker.engine.model.mlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.model.Activations;
import dev.largo.worker.engine.model.BaseClassifier;
import dev.largo.worker.engine.model.ImageClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The small MLP classifier of {@link MlpConfig}: flatten, hidden dense layers with the activation, classifier. */
public final class MlpClassifier extends BaseClassifier implements ImageClassifier {

    private final MlpConfig mlp;
    private final List<String> hidden;

    MlpClassifier(MlpConfig config, Map<String, NDArray> tensors, NDManager parent) {
        super(config, tensors, parent, linearPaths(config));
        this.mlp = config;
        this.hidden = linearPaths(config).subList(0, config.hiddenSizes().size());
    }

    static List<String> linearPaths(MlpConfig config) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < config.hiddenSizes().size(); i++) {
            paths.add("mlp.layers." + i + ".dense");
        }
        paths.add(HEAD);
        return paths;
    }

    @Override
    public NDArray logits(NDArray pixels) {
        requireScope();
        Shape shape = pixels.getShape();
        requirePixels(shape, "MLP", mlp.numChannels(), mlp.imageSize());
        NDArray x = pixels.reshape(shape.get(0), mlp.inputSize());
        for (String path : hidden) {
            x = Activations.apply(mlp.hiddenAct(), linear(path).apply(x));
        }
        return linear(HEAD).apply(x);
    }
}
