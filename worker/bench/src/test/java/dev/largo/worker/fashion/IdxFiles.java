package dev.largo.worker.fashion;

import dev.largo.worker.engine.data.ImageDataset;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes datasets as gzip IDX files under Fashion-MNIST's names, as Debian's package lays them out. */
final class IdxFiles {

    private IdxFiles() {
    }

    static Path writeFashionMnistLayout(ImageDataset train, ImageDataset test, Path directory) throws IOException {
        Files.createDirectories(directory);
        write(train, directory.resolve("train-images-idx3-ubyte.gz"), directory.resolve("train-labels-idx1-ubyte.gz"));
        write(test, directory.resolve("t10k-images-idx3-ubyte.gz"), directory.resolve("t10k-labels-idx1-ubyte.gz"));
        return directory;
    }

    private static void write(ImageDataset data, Path images, Path labels) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(images)))) {
            out.writeInt(0x00000803);
            out.writeInt(data.count());
            out.writeInt(data.height());
            out.writeInt(data.width());
            out.write(data.pixels());
        }
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(labels)))) {
            out.writeInt(0x00000801);
            out.writeInt(data.count());
            for (int label : data.labels()) {
                out.writeByte(label);
            }
        }
    }
}
