package dev.largo.worker.engine.data;

import static dev.largo.worker.engine.data.TestFiles.gray;
import static dev.largo.worker.engine.data.TestFiles.png;
import static dev.largo.worker.engine.data.TestFiles.rgb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderZipReaderTest {

    @TempDir
    Path dir;

    private final ImageFolderZipReader reader = new ImageFolderZipReader();

    @Test
    void readsGrayscaleLabelFoldersWithSortedClassesAndExactPixels() throws Exception {
        Map<String, byte[]> entries = TestFiles.entries();
        // Zip order differs from name order on purpose: the reader must sort.
        entries.put("shirt/b.png", png(gray(4, 5, 30)));
        entries.put("bag/z.png", png(gray(4, 5, 20)));
        entries.put("shirt/a.png", png(gray(4, 5, 10)));
        entries.put("__MACOSX/shirt/._a.png", new byte[] {1, 2, 3});
        entries.put("bag/.DS_Store", new byte[] {0});
        ImageDataset data = reader.read(TestFiles.zip(dir.resolve("d.zip"), entries));

        assertThat(data.count()).isEqualTo(3);
        assertThat(data.height()).isEqualTo(4);
        assertThat(data.width()).isEqualTo(5);
        assertThat(data.channels()).isEqualTo(1);
        assertThat(data.classNames()).containsExactly("bag", "shirt");
        assertThat(data.labels()).containsExactly(0, 1, 1); // bag/z, shirt/a, shirt/b
        int[] seeds = {20, 10, 30};
        for (int i = 0; i < 3; i++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 5; x++) {
                    assertThat(data.pixels()[i * 20 + y * 5 + x] & 0xff).isEqualTo(TestFiles.grayValue(y, x, seeds[i]));
                }
            }
        }
    }

    @Test
    void rgbPngKeepsThreeChannelsExactly() throws Exception {
        Map<String, byte[]> entries = TestFiles.entries();
        entries.put("a/1.png", png(rgb(3, 2, 0)));
        entries.put("b/1.PNG", png(rgb(3, 2, 100)));
        ImageDataset data = reader.read(TestFiles.zip(dir.resolve("rgb.zip"), entries));
        assertThat(data.channels()).isEqualTo(3);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 2; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(data.pixels()[18 + (y * 2 + x) * 3 + c] & 0xff)
                            .isEqualTo(TestFiles.rgbValue(y, x, c, 100));
                }
            }
        }
    }

    @Test
    void decodesJpegGrayAndColour() throws Exception {
        BufferedImage flat = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                flat.getRaster().setSample(x, y, 0, 200);
            }
        }
        Map<String, byte[]> entries = TestFiles.entries();
        entries.put("a/1.jpg", TestFiles.encode(flat, "jpeg"));
        entries.put("b/2.jpeg", TestFiles.encode(flat, "jpeg"));
        ImageDataset data = reader.read(TestFiles.zip(dir.resolve("jpg.zip"), entries));
        assertThat(data.channels()).isEqualTo(1);
        for (byte pixel : data.pixels()) {
            assertThat(pixel & 0xff).isBetween(198, 202); // lossy, but a flat block survives
        }

        Map<String, byte[]> colour = TestFiles.entries();
        colour.put("a/1.jpg", TestFiles.encode(rgb(8, 8, 0), "jpeg"));
        colour.put("b/1.jpg", TestFiles.encode(rgb(8, 8, 50), "jpeg"));
        assertThat(reader.read(TestFiles.zip(dir.resolve("rgbjpg.zip"), colour)).channels()).isEqualTo(3);
    }

    @Test
    void sixteenBitGrayIsRescaledToEightBits() throws Exception {
        BufferedImage deep = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(0, 0, 0, 0xffff);
        deep.getRaster().setSample(1, 0, 0, 0x8000);
        Map<String, byte[]> entries = TestFiles.entries();
        entries.put("a/1.png", png(deep));
        entries.put("b/1.png", png(deep));
        ImageDataset data = reader.read(TestFiles.zip(dir.resolve("deep.zip"), entries));
        assertThat(data.channels()).isEqualTo(1);
        assertThat(data.pixels()[0] & 0xff).isEqualTo(255);
        assertThat(data.pixels()[1] & 0xff).isEqualTo(128);
    }

    @Test
    void splitsShareOneClassListAndCanBeReadSeparately() throws Exception {
        Map<String, byte[]> entries = TestFiles.entries();
        entries.put("train/cat/1.png", png(gray(2, 2, 1)));
        entries.put("train/dog/1.png", png(gray(2, 2, 2)));
        entries.put("train/dog/2.png", png(gray(2, 2, 3)));
        entries.put("test/eel/1.png", png(gray(2, 2, 4))); // a class only in test still gets its index
        entries.put("test/cat/2.png", png(gray(2, 2, 5)));
        Path zip = TestFiles.zip(dir.resolve("splits.zip"), entries);

        ImageDataset train = reader.read(zip, "train");
        ImageDataset test = reader.read(zip, "test");
        assertThat(train.classNames()).containsExactly("cat", "dog", "eel");
        assertThat(test.classNames()).isEqualTo(train.classNames());
        assertThat(train.labels()).containsExactly(0, 1, 1);
        assertThat(test.labels()).containsExactly(0, 2);
        assertThat(reader.read(zip).count()).isEqualTo(5);
        assertThatThrownBy(() -> reader.read(zip, "validation")).isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("no split 'validation'").hasMessageContaining("[test, train]");
    }

    @Test
    void rejectsImagesOfDifferentSizeOrChannelsNamingTheEntry() throws Exception {
        Map<String, byte[]> entries = TestFiles.entries();
        entries.put("a/1.png", png(gray(4, 4, 0)));
        entries.put("b/2.png", png(gray(4, 5, 0)));
        assertInvalid(entries, "b/2.png", "4x5 grayscale", "a/1.png is 4x4 grayscale");

        Map<String, byte[]> mixed = TestFiles.entries();
        mixed.put("a/1.png", png(gray(4, 4, 0)));
        mixed.put("b/2.png", png(rgb(4, 4, 0)));
        assertInvalid(mixed, "b/2.png", "RGB");
    }

    @Test
    void rejectsPathTraversalAndAbsoluteEntries() throws Exception {
        for (String evil : new String[] {"../a/1.png", "a/../../1.png", "/etc/a/1.png", "a\\..\\1.png",
                "C:/a/1.png", "a//1.png", "./a/1.png"}) {
            Map<String, byte[]> entries = TestFiles.entries();
            entries.put("ok/1.png", png(gray(2, 2, 0)));
            entries.put(evil, png(gray(2, 2, 0)));
            assertInvalid(entries, evil, "unsafe entry path");
        }
    }

    @Test
    void rejectsBadLayoutsAndNonImages() throws Exception {
        Map<String, byte[]> flat = TestFiles.entries();
        flat.put("1.png", png(gray(2, 2, 0)));
        assertInvalid(flat, "1.png", "expected <label>/<image>");

        Map<String, byte[]> deep = TestFiles.entries();
        deep.put("a/b/c/1.png", png(gray(2, 2, 0)));
        assertInvalid(deep, "a/b/c/1.png", "expected <label>/<image>");

        Map<String, byte[]> mixed = TestFiles.entries();
        mixed.put("a/1.png", png(gray(2, 2, 0)));
        mixed.put("train/a/1.png", png(gray(2, 2, 0)));
        assertInvalid(mixed, "train/a/1.png", "mixes");

        Map<String, byte[]> text = TestFiles.entries();
        text.put("a/1.png", png(gray(2, 2, 0)));
        text.put("a/notes.txt", new byte[] {'h', 'i'});
        assertInvalid(text, "a/notes.txt", "not a .png");

        Map<String, byte[]> corrupt = TestFiles.entries();
        byte[] broken = png(gray(8, 8, 0));
        broken = java.util.Arrays.copyOf(broken, broken.length / 2);
        corrupt.put("a/1.png", broken);
        assertInvalid(corrupt, "a/1.png", "cannot decode png");

        Map<String, byte[]> disguised = TestFiles.entries();
        disguised.put("a/1.png", "not really a png".getBytes());
        assertInvalid(disguised, "a/1.png", "not a PNG or JPEG");

        assertInvalid(TestFiles.entries(), "e.zip", "no .png or .jpg images");
    }

    @Test
    void enforcesEntryCountSizeAndPixelLimits() throws Exception {
        Map<String, byte[]> entries = TestFiles.entries();
        for (int i = 0; i < 5; i++) {
            entries.put("c" + (i % 2) + "/" + i + ".png", png(gray(16, 16, i)));
        }
        Path zip = TestFiles.zip(dir.resolve("limits.zip"), entries);
        DatasetLimits base = DatasetLimits.DEFAULT;
        assertThatThrownBy(() -> new ImageFolderZipReader(base.withMaxZipEntries(4)).read(zip))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("5 entries; largo.limits.max-zip-entries is 4");
        assertThatThrownBy(() -> new ImageFolderZipReader(base.withMaxExamples(4)).read(zip))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("5 images; largo.limits.max-examples is 4");
        long onePng = entries.get("c0/0.png").length;
        assertThatThrownBy(() -> new ImageFolderZipReader(base.withMaxUncompressedBytes(onePng * 2)).read(zip))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("largo.limits.max-uncompressed-bytes is " + onePng * 2);
        assertThatThrownBy(() -> new ImageFolderZipReader(base.withMaxImagePixels(255)).read(zip))
                .isInstanceOf(InvalidDatasetException.class).hasMessageContaining("c0/0.png")
                .hasMessageContaining("largo.limits.max-image-pixels is 255")
                .hasMessageContaining("16 x 16 pixels");
    }

    /** The end record's count is read before ZipFile loads the directory, zip64 records included. */
    @Test
    void refusesADeclaredEntryCountBeforeOpeningTheArchive() throws Exception {
        Map<String, byte[]> entries = TestFiles.entries();
        entries.put("c0/0.png", png(gray(4, 4, 1)));
        entries.put("c1/0.png", png(gray(4, 4, 2)));
        byte[] zip = Files.readAllBytes(TestFiles.zip(dir.resolve("small.zip"), entries));
        int end = zip.length - 22;
        assertThat(ByteBuffer.wrap(zip, end, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(0x06054b50);
        DatasetLimits limits = DatasetLimits.DEFAULT.withMaxZipEntries(1000);

        byte[] lying = zip.clone();
        ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putShort(end + 8, (short) 60000).putShort(end + 10,
                (short) 60000);
        assertThatThrownBy(() -> new ImageFolderZipReader(limits).read(Files.write(dir.resolve("lying.zip"), lying)))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("declares 60000 entries; largo.limits.max-zip-entries is 1000");

        // a zip64 end record and its locator before the end record, which defers to them with 0xffff
        ByteBuffer zip64 = ByteBuffer.allocate(zip.length + 76).order(ByteOrder.LITTLE_ENDIAN);
        zip64.put(zip, 0, end);
        zip64.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                .putLong(1L << 40).putLong(1L << 40).putLong(0).putLong(0);
        zip64.putInt(0x07064b50).putInt(0).putLong(end).putInt(1);
        zip64.put(zip, end, 22);
        zip64.putShort(zip.length + 76 - 22 + 10, (short) 0xffff);
        assertThatThrownBy(() -> new ImageFolderZipReader(limits).read(
                Files.write(dir.resolve("zip64.zip"), zip64.array())))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("declares " + (1L << 40) + " entries");
    }

    @Test
    void rejectsFilesThatAreNotZips() throws Exception {
        Path file = Files.write(dir.resolve("nope.zip"), "PK\u0003\u0004 but garbage".getBytes());
        assertThatThrownBy(() -> reader.read(file)).isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("nope.zip").hasMessageContaining("not a readable zip");
    }

    private void assertInvalid(Map<String, byte[]> entries, String location, String... parts) throws IOException {
        Path zip = TestFiles.zip(dir.resolve(location.equals("e.zip") ? "e.zip" : "bad.zip"), entries);
        var thrown = assertThatThrownBy(() -> reader.read(zip)).isInstanceOf(InvalidDatasetException.class)
                .satisfies(e -> assertThat(((InvalidDatasetException) e).location()).isEqualTo(location));
        for (String part : parts) {
            thrown.hasMessageContaining(part);
        }
        Files.delete(zip);
    }
}
