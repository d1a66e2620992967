package dev.largo.worker.engine.data;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads an image-folder zip: {@code <label>/<file>.png} or {@code <split>/<label>/<file>.png} (PNG or
 * JPEG), the layout Hugging Face's {@code imagefolder} uses. Class names are the label directories of
 * the whole archive, sorted, so every split shares one label index. All images must have the same size
 * and channel count. Entries are read in name order, so the result does not depend on the zip's order.
 * Archive metadata ({@code __MACOSX/}, hidden files such as {@code .DS_Store}) is ignored; any other
 * non-image file is an error.
 */
public final class ImageFolderZipReader {

    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private final DatasetLimits limits;
    private final ImageDecoder decoder;

    public ImageFolderZipReader() {
        this(DatasetLimits.DEFAULT);
    }

    public ImageFolderZipReader(DatasetLimits limits) {
        this.limits = limits;
        this.decoder = new ImageDecoder(limits.maxImagePixels());
    }

    /** Receives each decoded image with its label index, in entry-name order. */
    @FunctionalInterface
    public interface ImageSink {
        void accept(String entryName, String split, int label, DecodedImage image) throws InvalidDatasetException;
    }

    /** The archive's layout: class names (sorted) and split names (sorted; empty without splits). */
    public record Layout(List<String> classNames, List<String> splits) {
    }

    /** Every image of every split. */
    public ImageDataset read(Path zip) throws IOException, InvalidDatasetException {
        return read(zip, null);
    }

    /** The images of one split ({@code null}: all of them), labelled by the archive-wide class list. */
    public ImageDataset read(Path zip, String split) throws IOException, InvalidDatasetException {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        List<Integer> labels = new ArrayList<>();
        int[] shape = new int[3];
        Layout layout = scan(zip, split, (entry, entrySplit, label, image) -> {
            if (labels.isEmpty()) {
                shape[0] = image.height();
                shape[1] = image.width();
                shape[2] = image.channels();
            }
            if ((long) pixels.size() + image.pixels().length > MAX_ARRAY_LENGTH) {
                throw new InvalidDatasetException(entry, "decoded images exceed " + MAX_ARRAY_LENGTH
                        + " bytes, too many to hold in memory at once");
            }
            pixels.writeBytes(image.pixels());
            labels.add(label);
        });
        return new ImageDataset(labels.size(), shape[0], shape[1], shape[2], pixels.toByteArray(),
                labels.stream().mapToInt(Integer::intValue).toArray(), layout.classNames());
    }

    /**
     * Validates the archive and decodes every image of {@code split} (null: all) into {@code sink}
     * without keeping them. Fails on the first bad entry, naming it.
     */
    public Layout scan(Path zip, String split, ImageSink sink) throws IOException, InvalidDatasetException {
        String file = zip.getFileName().toString();
        long declared = ZipEndRecord.declaredEntries(zip).orElse(0L);
        if (declared > limits.maxZipEntries()) {
            throw new InvalidDatasetException(file, "archive declares " + declared + " entries; "
                    + DatasetLimits.named(DatasetLimits.MAX_ZIP_ENTRIES, limits.maxZipEntries()));
        }
        try (ZipFile archive = open(zip, file)) {
            if (archive.size() > limits.maxZipEntries()) {
                throw new InvalidDatasetException(file, "archive has " + archive.size() + " entries; "
                        + DatasetLimits.named(DatasetLimits.MAX_ZIP_ENTRIES, limits.maxZipEntries()));
            }
            List<ImageEntry> entries = listImages(archive, file);
            if (entries.size() > limits.maxExamples()) {
                throw new InvalidDatasetException(file, "archive has " + entries.size() + " images; "
                        + DatasetLimits.named(DatasetLimits.MAX_EXAMPLES, limits.maxExamples()));
            }
            TreeSet<String> classes = new TreeSet<>();
            TreeSet<String> splits = new TreeSet<>();
            for (ImageEntry entry : entries) {
                classes.add(entry.label);
                if (entry.split != null) {
                    splits.add(entry.split);
                }
            }
            if (split != null && !splits.contains(split)) {
                throw new InvalidDatasetException(file, "archive has no split '" + split + "' (splits: "
                        + (splits.isEmpty() ? "none" : splits) + ")");
            }
            List<String> classNames = List.copyOf(classes);
            decodeAll(archive, entries, split, classNames, sink);
            return new Layout(classNames, List.copyOf(splits));
        }
    }

    private static ZipFile open(Path zip, String file) throws IOException, InvalidDatasetException {
        try {
            return new ZipFile(zip.toFile());
        } catch (ZipException | EOFException | IllegalArgumentException | IndexOutOfBoundsException e) {
            // EOFException: an end record pointing past the file's end (found by ImageFolderZipReaderFuzzTest)
            throw new InvalidDatasetException(file, "not a readable zip archive: "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        }
    }

    private List<ImageEntry> listImages(ZipFile archive, String file) throws InvalidDatasetException {
        List<ImageEntry> images = new ArrayList<>();
        int depth = -1;
        try {
            Enumeration<? extends ZipEntry> all = archive.entries();
            while (all.hasMoreElements()) {
                ZipEntry entry = all.nextElement();
                String name = entry.getName();
                checkSafeName(name);
                if (entry.isDirectory() || isArchiveMetadata(name)) {
                    continue;
                }
                String[] parts = name.split("/");
                if (parts.length != 2 && parts.length != 3) {
                    throw new InvalidDatasetException(name,
                            "expected <label>/<image> or <split>/<label>/<image>");
                }
                if (depth != -1 && parts.length != depth) {
                    throw new InvalidDatasetException(name, "mixes " + (depth == 3 ? "split/label/image" : "label/image")
                            + " and " + (parts.length == 3 ? "split/label/image" : "label/image") + " layouts");
                }
                depth = parts.length;
                String lower = parts[parts.length - 1].toLowerCase(Locale.ROOT);
                if (!lower.endsWith(".png") && !lower.endsWith(".jpg") && !lower.endsWith(".jpeg")) {
                    throw new InvalidDatasetException(name, "not a .png, .jpg or .jpeg file");
                }
                images.add(new ImageEntry(entry, parts.length == 3 ? parts[0] : null, parts[parts.length - 2]));
            }
        } catch (IllegalArgumentException e) {
            // ZipFile reports entry names that are not valid in the archive's charset this way.
            throw new InvalidDatasetException(file, "malformed entry name: " + e.getMessage(), e);
        }
        if (images.isEmpty()) {
            throw new InvalidDatasetException(file, "archive contains no .png or .jpg images");
        }
        images.sort(Comparator.comparing(image -> image.entry.getName()));
        return images;
    }

    /** Entry names must be plain relative paths: no absolute paths, no '..', no backslashes. */
    private static void checkSafeName(String name) throws InvalidDatasetException {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.indexOf('\0') >= 0
                || (name.length() > 1 && name.charAt(1) == ':')) {
            throw new InvalidDatasetException(name, "unsafe entry path (absolute or not a plain relative path)");
        }
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String part : trimmed.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new InvalidDatasetException(name, "unsafe entry path (empty, '.' or '..' component)");
            }
        }
    }

    private static boolean isArchiveMetadata(String name) {
        String last = name.substring(name.lastIndexOf('/') + 1);
        return name.startsWith("__MACOSX/") || last.startsWith(".");
    }

    private void decodeAll(ZipFile archive, List<ImageEntry> entries, String split, List<String> classNames,
                           ImageSink sink) throws IOException, InvalidDatasetException {
        java.util.Map<String, Integer> labelIndex = new java.util.HashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            labelIndex.put(classNames.get(i), i);
        }
        long budget = limits.maxUncompressedBytes();
        DecodedImage first = null;
        String firstName = null;
        for (ImageEntry image : entries) {
            if (split != null && !split.equals(image.split)) {
                continue;
            }
            String name = image.entry.getName();
            byte[] bytes = readEntry(archive, image.entry, budget);
            budget -= bytes.length;
            DecodedImage decoded = decoder.decode(bytes, name);
            if (first == null) {
                first = decoded;
                firstName = name;
            } else if (decoded.height() != first.height() || decoded.width() != first.width()
                    || decoded.channels() != first.channels()) {
                throw new InvalidDatasetException(name, "image is " + describe(decoded) + " but " + firstName
                        + " is " + describe(first) + "; all images must have the same size and channels");
            }
            sink.accept(name, image.split, labelIndex.get(image.label), decoded);
        }
    }

    private static String describe(DecodedImage image) {
        return image.height() + "x" + image.width() + (image.channels() == 1 ? " grayscale" : " RGB");
    }

    /**
     * Reads one entry, counting real inflated bytes (declared sizes can lie) against what is left of the
     * archive's budget and against the most an image within the pixel limit can need.
     */
    private byte[] readEntry(ZipFile archive, ZipEntry entry, long budget) throws IOException, InvalidDatasetException {
        long imageCap = limits.maxImageFileBytes();
        if (entry.getSize() > imageCap) {
            throw entryTooLarge(entry.getName(), entry.getSize() + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = archive.getInputStream(entry)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                long size = out.size() + (long) read;
                if (size > budget) {
                    throw new InvalidDatasetException(entry.getName(), "archive inflates to more than "
                            + limits.maxUncompressedBytes() + " bytes; " + DatasetLimits.named(
                                    DatasetLimits.MAX_UNCOMPRESSED_BYTES, limits.maxUncompressedBytes()));
                }
                if (size > imageCap) {
                    throw entryTooLarge(entry.getName(), "more than " + imageCap + " bytes");
                }
                out.write(buffer, 0, read);
            }
        } catch (ZipException | EOFException e) {
            throw new InvalidDatasetException(entry.getName(), "corrupt zip entry: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private InvalidDatasetException entryTooLarge(String name, String size) {
        return new InvalidDatasetException(name, "entry inflates to " + size + ", more than any image within the"
                + " pixel limit needs; " + DatasetLimits.named(DatasetLimits.MAX_IMAGE_PIXELS, limits.maxImagePixels()));
    }

    private record ImageEntry(ZipEntry entry, String split, String label) {
    }
}
