package dev.largo.worker.engine.data;

import dev.largo.worker.engine.io.DType;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.SafeTensorsFile;
import dev.largo.worker.engine.io.SafeTensorsFormatException;
import dev.largo.worker.engine.io.SafeTensorsHeader;
import dev.largo.worker.engine.io.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an image dataset stored as safetensors: {@code images} U8 [N, H, W, C] (C = 1 or 3),
 * {@code labels} I64 [N] (any integer type is accepted), and optionally metadata {@code class_names},
 * a JSON list of strings. The format {@link DatasetWriter#writeSafetensors} writes.
 */
public final class SafetensorsImageReader {

    public static final String IMAGES = "images";
    public static final String LABELS = "labels";
    public static final String CLASS_NAMES = "class_names";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final DatasetLimits limits;

    public SafetensorsImageReader() {
        this(DatasetLimits.DEFAULT);
    }

    public SafetensorsImageReader(DatasetLimits limits) {
        this.limits = limits;
    }

    /** The images, labels and class names. */
    public ImageDataset read(Path file) throws IOException, InvalidDatasetException {
        try (SafeTensorsFile st = SafeTensors.open(file, limits.maxSafetensorsHeaderBytes())) {
            Layout layout = layout(st, file);
            byte[] pixels = st.readBytes(IMAGES);
            return new ImageDataset(layout.count, layout.height, layout.width, layout.channels, pixels,
                    layout.labels, layout.classNames);
        } catch (SafeTensorsFormatException e) {
            throw asInvalid(e, file);
        }
    }

    /** Everything but the pixels: validated header, labels and class names. Reads no image data. */
    Layout readLayout(Path file) throws IOException, InvalidDatasetException {
        try (SafeTensorsFile st = SafeTensors.open(file, limits.maxSafetensorsHeaderBytes())) {
            return layout(st, file);
        } catch (SafeTensorsFormatException e) {
            throw asInvalid(e, file);
        }
    }

    record Layout(int count, int height, int width, int channels, int[] labels, List<String> classNames) {
    }

    private Layout layout(SafeTensorsFile st, Path file) throws IOException, InvalidDatasetException {
        SafeTensorsHeader header = st.header();
        if (!header.contains(IMAGES)) {
            throw new InvalidDatasetException(IMAGES, "missing tensor (expected U8 [N, H, W, C])");
        }
        if (!header.contains(LABELS)) {
            throw new InvalidDatasetException(LABELS, "missing tensor (expected I64 [N])");
        }
        TensorInfo images = header.tensor(IMAGES);
        long[] shape = images.shape();
        if (images.dtype() != DType.U8 || shape.length != 4) {
            throw new InvalidDatasetException(IMAGES, "must be U8 [N, H, W, C], found " + images.dtype() + " "
                    + java.util.Arrays.toString(shape));
        }
        if (shape[3] != 1 && shape[3] != 3) {
            throw new InvalidDatasetException(IMAGES, "channels (last dimension) must be 1 or 3, found " + shape[3]);
        }
        if (shape[1] == 0 || shape[2] == 0) {
            throw new InvalidDatasetException(IMAGES, "image size " + shape[1] + " x " + shape[2] + " is empty");
        }
        // each side on its own first: with an empty batch (N = 0) the header's byte-size check does not bound
        // H x W, whose product could overflow
        if (shape[1] > limits.maxImagePixels() || shape[2] > limits.maxImagePixels()
                || shape[1] * shape[2] > limits.maxImagePixels()) {
            throw new InvalidDatasetException(IMAGES, "images are " + shape[1] + " x " + shape[2] + " pixels; "
                    + DatasetLimits.named(DatasetLimits.MAX_IMAGE_PIXELS, limits.maxImagePixels()));
        }
        if (shape[0] > limits.maxExamples()) {
            throw new InvalidDatasetException(IMAGES, shape[0] + " images; "
                    + DatasetLimits.named(DatasetLimits.MAX_EXAMPLES, limits.maxExamples()));
        }
        TensorInfo labels = header.tensor(LABELS);
        if (labels.dtype().isFloatingPoint() || labels.dtype() == DType.BOOL || labels.rank() != 1) {
            throw new InvalidDatasetException(LABELS, "must be an integer vector [N], found " + labels.dtype() + " "
                    + java.util.Arrays.toString(labels.shape()));
        }
        if (labels.shape()[0] != shape[0]) {
            throw new InvalidDatasetException(LABELS, labels.shape()[0] + " labels for " + shape[0] + " images");
        }
        long[] raw = st.readLongs(LABELS);
        int[] values = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] < 0 || raw[i] >= limits.maxClasses()) {
                throw new InvalidDatasetException(LABELS, "label " + raw[i] + " of example " + i
                        + " is outside [0, " + limits.maxClasses() + "); "
                        + DatasetLimits.named(DatasetLimits.MAX_CLASSES, limits.maxClasses()));
            }
            values[i] = (int) raw[i];
        }
        List<String> given = classNames(header.metadata().get(CLASS_NAMES));
        List<String> names = ClassNames.resolve(given, values, LABELS, limits.maxClasses());
        return new Layout((int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3], values, names);
    }

    private static List<String> classNames(String json) throws InvalidDatasetException {
        if (json == null) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidDatasetException("__metadata__." + CLASS_NAMES, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isArray()) {
            throw new InvalidDatasetException("__metadata__." + CLASS_NAMES, "must be a JSON list of strings");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isString()) {
                throw new InvalidDatasetException("__metadata__." + CLASS_NAMES, "must be a JSON list of strings");
            }
            names.add(item.stringValue());
        }
        ClassNames.checkDistinct(names, "__metadata__." + CLASS_NAMES);
        return names;
    }

    static InvalidDatasetException asInvalid(SafeTensorsFormatException e, Path file) {
        String location = e.tensorName() != null ? e.tensorName() : file.getFileName().toString();
        return new InvalidDatasetException(location, e.getMessage(), e);
    }
}
