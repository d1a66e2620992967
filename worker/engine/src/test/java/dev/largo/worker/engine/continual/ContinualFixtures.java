package dev.largo.worker.engine.continual;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.eval.EvalSplit;
import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.testing.SyntheticImages;
import dev.largo.worker.engine.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A tiny grayscale ViT on disk and a three-task domain-incremental sequence of synthetic images. */
final class ContinualFixtures {

    static final ModelConfig CONFIG = TinyModels.grayVit(4);

    private ContinualFixtures() {
    }

    static Path baseWeights(Path dir) throws IOException {
        Path file = dir.resolve("base.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            SafeTensors.writeNDArrays(file, TinyModels.randomTensors(CONFIG, 21, 0.2, DataType.FLOAT32, manager), Map.of());
        }
        return file;
    }

    /** Task styles: plain, inverted, and darkened quadrant images (each with its own draws). */
    static List<ContinualTask> tasks(int count) {
        List<ContinualTask> tasks = new ArrayList<>();
        String[] names = {"plain", "inverted", "dark"};
        for (int t = 0; t < count; t++) {
            ImageDataset train = styled(SyntheticImages.quadrants(48, 4, 8, 100 + t), t);
            ImageDataset test = styled(SyntheticImages.quadrants(32, 4, 8, 200 + t), t);
            tasks.add(new ContinualTask(names[t], train, List.of(new EvalSplit(names[t] + "-test", SplitKind.ID,
                    names[t], test))));
        }
        return tasks;
    }

    private static ImageDataset styled(ImageDataset data, int style) {
        byte[] pixels = data.pixels().clone();
        for (int i = 0; i < pixels.length; i++) {
            int value = pixels[i] & 0xff;
            pixels[i] = (byte) switch (style) {
                case 1 -> 255 - value;
                case 2 -> value / 3;
                default -> value;
            };
        }
        return new ImageDataset(data.count(), data.height(), data.width(), data.channels(), pixels, data.labels(),
                data.classNames());
    }
}
