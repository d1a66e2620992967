package dev.largo.worker.engine.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST as Debian's {@code dataset-fashion-mnist} package installs it (IDX, gzip): the data of
 * the fashion-shift benchmark.
 */
public final class FashionMnist {

    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {
    }

    /** The 60,000 training images. */
    public static ImageDataset train(Path directory) throws IOException, InvalidDatasetException {
        return new IdxReader().read(directory.resolve("train-images-idx3-ubyte.gz"),
                directory.resolve("train-labels-idx1-ubyte.gz"), CLASS_NAMES);
    }

    /** The 10,000 test images. */
    public static ImageDataset test(Path directory) throws IOException, InvalidDatasetException {
        return new IdxReader().read(directory.resolve("t10k-images-idx3-ubyte.gz"),
                directory.resolve("t10k-labels-idx1-ubyte.gz"), CLASS_NAMES);
    }
}
