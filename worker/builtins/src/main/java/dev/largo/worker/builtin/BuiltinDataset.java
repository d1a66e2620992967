package dev.largo.worker.builtin;

import dev.largo.worker.engine.data.DatasetFormat;
import dev.largo.worker.engine.data.TaskType;
import dev.largo.worker.engine.data.styles.Style;
import dev.largo.worker.engine.eval.SplitKind;
import java.util.List;

/**
 * A sample image dataset shipped on the classpath for the quick start: a safetensors image dataset
 * ({@code images} U8 [N, 28, 28, 1], {@code labels} I64 [N], metadata {@code class_names}) of the
 * fashion-shift task (Fashion-MNIST classes 5-9, relabelled 0-4).
 *
 * @param name the dataset's name, also its file name without {@code .safetensors} (e.g. {@code fashion-train})
 * @param split what the dataset is for
 * @param domain its style; clean is the task's own domain
 * @param count images it holds
 * @param description one line for people
 */
public record BuiltinDataset(String name, SampleSplit split, Style domain, int count, String description)
        implements ShippedDataset {

    /** ID for training, validation and clean test data; OOD for the other styles' test data. */
    @Override
    public SplitKind kind() {
        return domain == FashionShift.ID_STYLE ? SplitKind.ID : SplitKind.OOD;
    }

    @Override
    public String domainId() {
        return domain.id();
    }

    @Override
    public String fileName() {
        return name + ".safetensors";
    }

    @Override
    public String directory() {
        return BuiltinAssets.SAMPLES_DIRECTORY;
    }

    /** The task's labels, index = label: Sandal, Shirt, Sneaker, Bag, Ankle boot. */
    @Override
    public List<String> classNames() {
        return BuiltinAssets.TASK_CLASS_NAMES;
    }

    @Override
    public TaskType taskType() {
        return TaskType.IMAGE_CLASSIFICATION;
    }

    @Override
    public DatasetFormat format() {
        return DatasetFormat.SAFETENSORS;
    }
}
