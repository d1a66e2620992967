package dev.largo.worker.engine.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.Arrays;

/**
 * Any pair of files given to the IDX reader (plain or gzip) ends in a dataset or an {@link InvalidDatasetException};
 * anything else (another exception, a hang, running out of memory) is a finding. The input is split in two: its
 * first two bytes (big-endian) are the length of the images file, which follows; the rest is the labels file.
 */
class IdxReaderFuzzTest {

    @FuzzTest
    void readsOrRefuses(byte[] input) throws IOException {
        int split = input.length < 2 ? 0 : Math.min(input.length - 2, ((input[0] & 0xff) << 8) | (input[1] & 0xff));
        int start = Math.min(2, input.length);
        byte[] images = Arrays.copyOfRange(input, start, start + split);
        byte[] labels = Arrays.copyOfRange(input, start + split, input.length);
        try {
            new IdxReader(FuzzFiles.LIMITS).read(FuzzFiles.write("fuzz-images-idx3-ubyte", images),
                    FuzzFiles.write("fuzz-labels-idx1-ubyte", labels), null);
        } catch (InvalidDatasetException expected) {
            // the documented refusal
        }
    }
}
