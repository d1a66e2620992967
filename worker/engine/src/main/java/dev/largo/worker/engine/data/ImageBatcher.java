package dev.largo.worker.engine.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.model.ModelConfig;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a batch of uint8 images into the model's input: float32 [B, C, H, W], resized (bilinear) to
 * the model's image size when it differs, grayscale repeated to 3 channels for an RGB model, and
 * normalised per channel as {@code (x / 255 - mean) / std} (Hugging Face's image_mean / image_std).
 * Arrays are created on the manager passed in, normally the training step's own sub-manager.
 */
public final class ImageBatcher implements ModelInputs {

    /** Hugging Face ViT's default image_mean and image_std. */
    public static final float[] DEFAULT_MEAN = {0.5f, 0.5f, 0.5f};
    public static final float[] DEFAULT_STD = {0.5f, 0.5f, 0.5f};

    private final int height;
    private final int width;
    private final int channels;
    private final float[] mean;
    private final float[] std;
    /** Normalised value of each uint8 level, per channel: avoids a division per pixel. */
    private final float[][] levels;

    /**
     * @param mean one value per channel, or one value for all
     * @param std one value per channel, or one value for all
     */
    public ImageBatcher(int height, int width, int channels, float[] mean, float[] std) {
        if (height <= 0 || width <= 0 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("bad model input " + height + "x" + width + "x" + channels);
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.mean = perChannel(mean, channels, "image_mean");
        this.std = perChannel(std, channels, "image_std");
        this.levels = new float[channels][256];
        for (int c = 0; c < channels; c++) {
            if (!(this.std[c] > 0)) {
                throw new IllegalArgumentException("image_std must be positive, got " + this.std[c]);
            }
            for (int v = 0; v < 256; v++) {
                levels[c][v] = normalise(v, c);
            }
        }
    }

    /** The batcher for an image model's input size and channels. */
    public static ImageBatcher of(ModelConfig config, float[] mean, float[] std) {
        return new ImageBatcher(config.imageSize(), config.imageSize(), config.numChannels(), mean, std);
    }

    /** Images [B, C, H, W] float32 for the examples {@code indices} of {@code data}. */
    public NDArray images(ImageDataset data, int[] indices, NDManager manager) {
        if (data.channels() != channels && !(data.channels() == 1 && channels == 3)) {
            throw new IllegalArgumentException("dataset has " + data.channels() + " channels but the model takes "
                    + channels);
        }
        boolean resize = data.height() != height || data.width() != width;
        int plane = height * width;
        float[] out = new float[indices.length * channels * plane];
        for (int b = 0; b < indices.length; b++) {
            int source = indices[b] * data.imageBytes();
            int target = b * channels * plane;
            if (resize) {
                float[] resized = Bilinear.resize(data.pixels(), source, data.height(), data.width(), data.channels(),
                        height, width);
                for (int c = 0; c < channels; c++) {
                    int sc = data.channels() == 1 ? 0 : c;
                    for (int p = 0; p < plane; p++) {
                        out[target + c * plane + p] = (resized[p * data.channels() + sc] / 255f - mean[c]) / std[c];
                    }
                }
            } else {
                for (int c = 0; c < channels; c++) {
                    int sc = data.channels() == 1 ? 0 : c;
                    float[] table = levels[c];
                    for (int p = 0; p < plane; p++) {
                        out[target + c * plane + p] = table[data.pixels()[source + p * data.channels() + sc] & 0xff];
                    }
                }
            }
        }
        return manager.create(out, new Shape(indices.length, channels, height, width));
    }

    /** The image model's logits over the rows' pixels. */
    @Override
    public NDArray logits(Classifier model, LabelledData data, int[] rows, NDManager manager) {
        if (!(model instanceof ImageClassifier image) || !(data instanceof ImageDataset images)) {
            throw new IllegalArgumentException("image inputs need an image model and image data, got a "
                    + model.config().modelType() + " model and " + data.getClass().getSimpleName());
        }
        return image.logits(images(images, rows, manager));
    }

    @Override
    public LabelledData concat(List<LabelledData> parts) {
        return ImageDatasets.concat(parts.stream().map(part -> (ImageDataset) part).toList());
    }

    @Override
    public String fingerprint() {
        return "norm:" + Arrays.toString(mean) + Arrays.toString(std);
    }

    private float normalise(int level, int channel) {
        return (level / 255f - mean[channel]) / std[channel];
    }

    private static float[] perChannel(float[] values, int channels, String what) {
        if (values.length == channels) {
            return values.clone();
        }
        if (values.length == 1 || (values.length == 3 && channels == 1 && allEqual(values))) {
            float[] out = new float[channels];
            Arrays.fill(out, values[0]);
            return out;
        }
        throw new IllegalArgumentException(what + " has " + values.length + " values for " + channels + " channels");
    }

    private static boolean allEqual(float[] values) {
        for (float value : values) {
            if (value != values[0]) {
                return false;
            }
        }
        return true;
    }
}
