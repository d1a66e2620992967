package dev.largo.worker.builtin;

import dev.largo.worker.engine.data.FashionMnist;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.ImageDatasets;
import dev.largo.worker.engine.data.InvalidDatasetException;
import dev.largo.worker.engine.data.styles.Style;
import dev.largo.worker.engine.data.styles.StyleTransform;
import dev.largo.worker.engine.support.Seeds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The data of the fashion-shift benchmark (BENCHMARKS.md), built from Fashion-MNIST: the pretraining set
 * (classes 0-4, every image in a random style), the fine-tuning task (classes 5-9 relabelled 0-4, clean,
 * 2,000 training and 1,000 validation images) and the evaluation sets (the 5,000 test images of classes 5-9
 * in each style). Every subset and style draw comes from {@link #DATA_SEED}, so the pretraining recipe,
 * the shipped sample datasets and the benchmark all see the same images.
 */
public final class FashionShift {

    /** Classes the base model is pretrained on. */
    public static final int[] PRETRAIN_CLASSES = {0, 1, 2, 3, 4};
    /** Classes of the fine-tuning task, relabelled 0-4 in this order. */
    public static final int[] TASK_CLASSES = {5, 6, 7, 8, 9};
    public static final int TASK_TRAIN_SIZE = 2_000;
    public static final int TASK_VALIDATION_SIZE = 1_000;
    /** The one seed behind every subset and style draw of the protocol's data. */
    public static final long DATA_SEED = 20_250_614L;

    /** The evaluation domain every fine-tuning run is in-distribution for. */
    public static final Style ID_STYLE = Style.CLEAN;

    private final ImageDataset train;
    private final ImageDataset test;

    /**
     * @param train the 60,000 Fashion-MNIST training images (10 classes)
     * @param test the 10,000 test images
     */
    public FashionShift(ImageDataset train, ImageDataset test) {
        requireFashionMnist(train, "training");
        requireFashionMnist(test, "test");
        this.train = train;
        this.test = test;
    }

    /** Reads the IDX files in {@code directory} (Debian's layout, see {@link FashionMnistFiles}). */
    public static FashionShift load(Path directory) throws IOException, InvalidDatasetException {
        return new FashionShift(FashionMnist.train(directory), FashionMnist.test(directory));
    }

    /** The styles that are out of distribution for the task (all but clean), in declaration order. */
    public static List<Style> oodStyles() {
        return Arrays.stream(Style.values()).filter(style -> style != ID_STYLE).toList();
    }

    /** All training images of classes 0-4, each in a style drawn uniformly from all six (seeded). */
    public ImageDataset pretrainingSet() {
        ImageDataset base = ImageDatasets.selectClasses(train, PRETRAIN_CLASSES);
        return StyleTransform.applyRandom(base, List.of(Style.values()), Seeds.derive(DATA_SEED, "pretrain-styles"));
    }

    /** The test images of classes 0-4 in one style: how well the base model knows its own classes. */
    public ImageDataset pretrainingTest(Style style) {
        return StyleTransform.apply(ImageDatasets.selectClasses(test, PRETRAIN_CLASSES), style,
                Seeds.derive(DATA_SEED, "pretrain-test:" + style.id()));
    }

    /** The task's training and validation images: disjoint seeded subsets of the clean classes 5-9. */
    public TaskSplits taskSplits() {
        ImageDataset task = ImageDatasets.selectClasses(train, TASK_CLASSES);
        int[] order = ImageDatasets.shuffledIndices(task.count(), Seeds.derive(DATA_SEED, "task-subsets"));
        int[] trainIndices = Arrays.copyOfRange(order, 0, TASK_TRAIN_SIZE);
        int[] validationIndices = Arrays.copyOfRange(order, TASK_TRAIN_SIZE, TASK_TRAIN_SIZE + TASK_VALIDATION_SIZE);
        return new TaskSplits(ImageDatasets.subset(task, trainIndices), ImageDatasets.subset(task, validationIndices));
    }

    /**
     * The training images of continual task {@code taskIndex} (worker/engine/docs/gorp.md §4's domain-incremental sequence), in
     * {@code style}: task 0 is (the first {@code size} of) {@link #taskSplits()}'s training set; each later task
     * gets its own {@code size} images of classes 5-9 (2,000 in the protocol), disjoint from every other task's
     * and from the validation split, styled with a seeded draw of its own.
     */
    public ImageDataset continualTrain(int taskIndex, Style style, int size) {
        if (size < 1 || size > TASK_TRAIN_SIZE) {
            throw new IllegalArgumentException("a continual task has 1 to " + TASK_TRAIN_SIZE + " images, not " + size);
        }
        if (taskIndex == 0) {
            ImageDataset first = ImageDatasets.subset(taskSplits().train(), java.util.stream.IntStream.range(0, size).toArray());
            return StyleTransform.apply(first, style, Seeds.derive(DATA_SEED, "continual-train:" + style.id()));
        }
        ImageDataset task = ImageDatasets.selectClasses(train, TASK_CLASSES);
        int[] order = ImageDatasets.shuffledIndices(task.count(), Seeds.derive(DATA_SEED, "task-subsets"));
        int from = TASK_TRAIN_SIZE + TASK_VALIDATION_SIZE + (taskIndex - 1) * size;
        if (from + size > order.length) {
            throw new IllegalArgumentException("not enough images of classes 5-9 for continual task " + taskIndex);
        }
        ImageDataset subset = ImageDatasets.subset(task, Arrays.copyOfRange(order, from, from + size));
        return StyleTransform.apply(subset, style, Seeds.derive(DATA_SEED, "continual-train:" + style.id()));
    }

    /** The 5,000 test images of classes 5-9 (relabelled 0-4) in {@code style}. */
    public ImageDataset taskTest(Style style) {
        return StyleTransform.apply(ImageDatasets.selectClasses(test, TASK_CLASSES), style,
                Seeds.derive(DATA_SEED, "task-test:" + style.id()));
    }

    /** The fine-tuning task's training and validation splits (clean). */
    public record TaskSplits(ImageDataset train, ImageDataset validation) {
    }

    private static void requireFashionMnist(ImageDataset data, String what) {
        if (data.height() != 28 || data.width() != 28 || data.channels() != 1
                || !data.classNames().equals(FashionMnist.CLASS_NAMES)) {
            throw new IllegalArgumentException("the " + what + " set is not Fashion-MNIST (28x28x1, its 10 classes): "
                    + data.height() + "x" + data.width() + "x" + data.channels() + ", classes " + data.classNames());
        }
    }
}
