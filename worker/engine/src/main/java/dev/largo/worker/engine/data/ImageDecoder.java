package dev.largo.worker.engine.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG and JPEG bytes with javax.imageio into uint8 pixels. Grayscale stays one channel (16-bit
 * and low-bit-depth gray are rescaled to 8 bits exactly); everything else becomes RGB (alpha dropped,
 * palettes expanded). The image size is checked from the file header before any pixel buffer exists.
 */
public final class ImageDecoder {

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** Decodes {@code bytes}; {@code location} names the image in errors. */
    public DecodedImage decode(byte[] bytes, String location) throws InvalidDatasetException {
        String format = formatOf(bytes);
        if (format == null) {
            throw new InvalidDatasetException(location, "not a PNG or JPEG image (unrecognised file signature)");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new IllegalStateException("no javax.imageio reader for " + format);
        }
        ImageReader reader = readers.next();
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(input, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new InvalidDatasetException(location, "image is " + width + " x " + height + " pixels");
            }
            if ((long) width * height > maxPixels) {
                throw new InvalidDatasetException(location, "image is " + width + " x " + height + " pixels; "
                        + DatasetLimits.named(DatasetLimits.MAX_IMAGE_PIXELS, maxPixels));
            }
            return toPixels(reader.read(0), location);
        } catch (IOException | RuntimeException e) {
            // javax.imageio reports corrupt data as IIOException and, for some damage, as runtime
            // exceptions from deep inside the codec; both mean the same thing here.
            throw new InvalidDatasetException(location, "cannot decode " + format + " image: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    private static String formatOf(byte[] bytes) {
        if (bytes.length >= 8 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            return "png";
        }
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
            return "jpeg";
        }
        return null;
    }

    private static DecodedImage toPixels(BufferedImage image, String location) throws InvalidDatasetException {
        int width = image.getWidth();
        int height = image.getHeight();
        ColorModel colorModel = image.getColorModel();
        if (colorModel.getNumColorComponents() == 1 && !(colorModel instanceof IndexColorModel)) {
            Raster raster = image.getRaster();
            int bits = raster.getSampleModel().getSampleSize(0);
            int[] samples = raster.getSamples(0, 0, width, height, 0, (int[]) null);
            byte[] pixels = new byte[samples.length];
            int max = (1 << bits) - 1;
            for (int i = 0; i < samples.length; i++) {
                int value = bits == 8 ? samples[i]
                        : bits > 8 ? samples[i] >>> (bits - 8)
                        : Math.round(samples[i] * 255f / max);
                pixels[i] = (byte) value;
            }
            return new DecodedImage(height, width, 1, pixels);
        }
        if (colorModel.getNumColorComponents() != 3 && !(colorModel instanceof IndexColorModel)) {
            throw new InvalidDatasetException(location, "unsupported colour model with "
                    + colorModel.getNumColorComponents() + " colour components (use grayscale or RGB)");
        }
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        byte[] pixels = new byte[argb.length * 3];
        for (int i = 0; i < argb.length; i++) {
            pixels[3 * i] = (byte) (argb[i] >>> 16);
            pixels[3 * i + 1] = (byte) (argb[i] >>> 8);
            pixels[3 * i + 2] = (byte) argb[i];
        }
        return new DecodedImage(height, width, 3, pixels);
    }
}
