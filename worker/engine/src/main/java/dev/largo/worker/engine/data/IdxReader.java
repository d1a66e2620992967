package dev.largo.worker.engine.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format), plain or gzip-compressed: a magic number
 * {@code 00 00 08 n} (unsigned bytes, n dimensions), n big-endian int32 sizes, then the data.
 * Images are N x H x W (grayscale) or N x H x W x C; labels are N.
 */
public final class IdxReader {

    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    private static final int UNSIGNED_BYTE = 0x08;

    private final DatasetLimits limits;

    public IdxReader() {
        this(DatasetLimits.DEFAULT);
    }

    public IdxReader(DatasetLimits limits) {
        this.limits = limits;
    }

    /** One IDX array: its dimensions and unsigned-byte data. */
    public record IdxArray(int[] dims, byte[] data) {
    }

    /**
     * Images and labels as one dataset. {@code classNames} may be null: then the classes are named
     * "0" .. "K-1" with K = largest label + 1.
     */
    public ImageDataset read(Path images, Path labels, List<String> classNames)
            throws IOException, InvalidDatasetException {
        IdxArray imageArray = readArray(images);
        IdxArray labelArray = readArray(labels);
        String imagesName = images.getFileName().toString();
        String labelsName = labels.getFileName().toString();
        int[] dims = imageArray.dims();
        if (dims.length != 3 && dims.length != 4) {
            throw new InvalidDatasetException(imagesName, "images must have 3 (N, H, W) or 4 (N, H, W, C) dimensions,"
                    + " found " + dims.length);
        }
        int channels = dims.length == 4 ? dims[3] : 1;
        if (channels != 1 && channels != 3) {
            throw new InvalidDatasetException(imagesName, "images must have 1 or 3 channels, found " + channels);
        }
        if (dims[1] == 0 || dims[2] == 0) {
            throw new InvalidDatasetException(imagesName, "image size " + dims[1] + " x " + dims[2] + " is empty");
        }
        if ((long) dims[1] * dims[2] > limits.maxImagePixels()) {
            throw new InvalidDatasetException(imagesName, "images are " + dims[1] + " x " + dims[2] + " pixels; "
                    + DatasetLimits.named(DatasetLimits.MAX_IMAGE_PIXELS, limits.maxImagePixels()));
        }
        if (dims[0] > limits.maxExamples()) {
            throw new InvalidDatasetException(imagesName, dims[0] + " images; "
                    + DatasetLimits.named(DatasetLimits.MAX_EXAMPLES, limits.maxExamples()));
        }
        if (labelArray.dims().length != 1) {
            throw new InvalidDatasetException(labelsName, "labels must have 1 dimension, found "
                    + labelArray.dims().length);
        }
        if (labelArray.dims()[0] != dims[0]) {
            throw new InvalidDatasetException(labelsName, labelArray.dims()[0] + " labels for " + dims[0] + " images");
        }
        int[] labelValues = new int[dims[0]];
        for (int i = 0; i < labelValues.length; i++) {
            labelValues[i] = labelArray.data()[i] & 0xff;
        }
        List<String> names = ClassNames.resolve(classNames, labelValues, labelsName, limits.maxClasses());
        return new ImageDataset(dims[0], dims[1], dims[2], channels, imageArray.data(), labelValues, names);
    }

    /** Reads and validates one IDX file; the declared size must match the data exactly. */
    public IdxArray readArray(Path file) throws IOException, InvalidDatasetException {
        String name = file.getFileName().toString();
        try (InputStream in = open(file)) {
            int[] dims = readHeader(in, name);
            long size = 1;
            for (int dim : dims) {
                size *= dim; // at most 4 dims < 2^31 each: product checked below before it can overflow
                if (size > limits.maxUncompressedBytes()) {
                    throw new InvalidDatasetException(name, "declared size exceeds " + limits.maxUncompressedBytes()
                            + " bytes; " + DatasetLimits.named(DatasetLimits.MAX_UNCOMPRESSED_BYTES,
                                    limits.maxUncompressedBytes()));
                }
                if (size > MAX_ARRAY_LENGTH) {
                    throw new InvalidDatasetException(name, "declared size exceeds " + MAX_ARRAY_LENGTH
                            + " bytes, more than one array can hold");
                }
            }
            byte[] data = in.readNBytes((int) size);
            if (data.length != size) {
                throw new InvalidDatasetException(name, "file ends after " + data.length + " of " + size
                        + " data bytes");
            }
            if (in.read() != -1) {
                throw new InvalidDatasetException(name, "file has data after the " + size + " declared bytes");
            }
            return new IdxArray(dims, data);
        } catch (ZipException | EOFException e) {
            throw new InvalidDatasetException(name, "corrupt or truncated gzip data: " + e.getMessage(), e);
        }
    }

    /** The labels file that conventionally sits beside an images file ({@code *-images-idx3-ubyte*}). */
    public static Optional<Path> labelsFileFor(Path images) {
        String name = images.getFileName().toString();
        if (!name.contains("-images-idx3-ubyte")) {
            return Optional.empty();
        }
        Path labels = images.resolveSibling(name.replace("-images-idx3-ubyte", "-labels-idx1-ubyte"));
        return Files.isRegularFile(labels) ? Optional.of(labels) : Optional.empty();
    }

    static boolean isIdxMagic(byte[] head, int length) {
        return length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == UNSIGNED_BYTE && head[3] >= 1 && head[3] <= 4;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            } catch (IOException e) {
                in.close();
                throw e;
            }
        }
        return in;
    }

    private static int[] readHeader(InputStream in, String name) throws IOException, InvalidDatasetException {
        byte[] magic = in.readNBytes(4);
        if (!isIdxMagic(magic, magic.length)) {
            throw new InvalidDatasetException(name, "not an unsigned-byte IDX file (magic must be 00 00 08 0n, n in 1..4)");
        }
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < magic[3]; i++) {
            byte[] bytes = in.readNBytes(4);
            if (bytes.length != 4) {
                throw new InvalidDatasetException(name, "file ends inside the dimension sizes");
            }
            int dim = ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
            if (dim < 0) {
                throw new InvalidDatasetException(name, "dimension " + i + " is negative: " + dim);
            }
            dims.add(dim);
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }
}
