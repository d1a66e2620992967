package dev.largo.worker.engine.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Any bytes given to the image-folder zip reader (zip structure, entry names, PNG and JPEG data inside) end in a
 * dataset or an {@link InvalidDatasetException}; anything else (another exception, a hang, running out of memory)
 * is a finding. The format sniffer sees the same bytes.
 */
class ImageFolderZipReaderFuzzTest {

    @FuzzTest
    void readsOrRefuses(byte[] input) throws IOException {
        Path file = FuzzFiles.write("fuzz.zip", input);
        try {
            DatasetFormat.sniff(file);
        } catch (InvalidDatasetException expected) {
            // the documented refusal
        }
        try {
            new ImageFolderZipReader(FuzzFiles.LIMITS).read(file);
        } catch (InvalidDatasetException expected) {
            // the documented refusal
        }
    }
}
