package dev.largo.worker.engine.data;

import java.util.ArrayList;
import java.util.List;

/** Subsets and relabelling of image datasets (e.g. the benchmark's class split and seeded subsets). */
public final class ImageDatasets {

    private ImageDatasets() {
    }

    /** The examples at {@code indices}, in that order, with the same classes. */
    public static ImageDataset subset(ImageDataset data, int[] indices) {
        int bytes = data.imageBytes();
        byte[] pixels = new byte[indices.length * bytes];
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(data.pixels(), indices[i] * bytes, pixels, i * bytes, bytes);
            labels[i] = data.labels()[indices[i]];
        }
        return new ImageDataset(indices.length, data.height(), data.width(), data.channels(), pixels, labels,
                data.classNames());
    }

    /** The examples of every dataset, in order; all must share image size, channels and class names. */
    public static ImageDataset concat(List<ImageDataset> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        ImageDataset first = parts.get(0);
        int count = 0;
        for (ImageDataset part : parts) {
            if (part.height() != first.height() || part.width() != first.width()
                    || part.channels() != first.channels() || !part.classNames().equals(first.classNames())) {
                throw new IllegalArgumentException("datasets differ in image size, channels or classes: "
                        + part.height() + "x" + part.width() + "x" + part.channels() + " " + part.classNames()
                        + " vs " + first.height() + "x" + first.width() + "x" + first.channels() + " "
                        + first.classNames());
            }
            count += part.count();
        }
        byte[] pixels = new byte[count * first.imageBytes()];
        int[] labels = new int[count];
        int at = 0;
        for (ImageDataset part : parts) {
            System.arraycopy(part.pixels(), 0, pixels, at * first.imageBytes(), part.pixels().length);
            System.arraycopy(part.labels(), 0, labels, at, part.count());
            at += part.count();
        }
        return new ImageDataset(count, first.height(), first.width(), first.channels(), pixels, labels,
                first.classNames());
    }

    /**
     * Only the examples of {@code classes}, relabelled 0 .. k-1 in the order given (class names
     * follow), keeping the dataset's example order.
     */
    public static ImageDataset selectClasses(ImageDataset data, int... classes) {
        int[] newLabel = new int[data.classNames().size()];
        java.util.Arrays.fill(newLabel, -1);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes.length; k++) {
            if (newLabel[classes[k]] != -1) {
                throw new IllegalArgumentException("class " + classes[k] + " selected twice");
            }
            newLabel[classes[k]] = k;
            names.add(data.classNames().get(classes[k]));
        }
        int kept = 0;
        for (int label : data.labels()) {
            kept += newLabel[label] >= 0 ? 1 : 0;
        }
        int[] indices = new int[kept];
        int[] labels = new int[kept];
        for (int i = 0, j = 0; i < data.count(); i++) {
            if (newLabel[data.labels()[i]] >= 0) {
                indices[j] = i;
                labels[j++] = newLabel[data.labels()[i]];
            }
        }
        ImageDataset picked = subset(data, indices);
        return new ImageDataset(kept, data.height(), data.width(), data.channels(), picked.pixels(), labels, names);
    }

    /** A seeded permutation of {@code 0 .. count-1}; take prefixes for disjoint seeded subsets. */
    public static int[] shuffledIndices(int count, long seed) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        new SplitMix64(seed).shuffle(order);
        return order;
    }
}
