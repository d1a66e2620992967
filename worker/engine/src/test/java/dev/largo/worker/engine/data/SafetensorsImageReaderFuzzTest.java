package dev.largo.worker.engine.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.SafeTensorsFile;
import dev.largo.worker.engine.io.SafeTensorsFormatException;
import dev.largo.worker.engine.io.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Any bytes given to the safetensors readers end in a result or in their documented refusal: the dataset reader's
 * {@link InvalidDatasetException}, the file reader's {@link SafeTensorsFormatException}. Anything else (another
 * exception, a hang, running out of memory) is a finding. In {@code mvn verify} this runs the seeds under
 * {@code SafetensorsImageReaderFuzzTestInputs/}; see the README for real fuzzing runs.
 */
class SafetensorsImageReaderFuzzTest {

    @FuzzTest
    void readsOrRefuses(byte[] input) throws IOException {
        Path file = FuzzFiles.write("fuzz.safetensors", input);
        try {
            new SafetensorsImageReader(FuzzFiles.LIMITS).read(file);
        } catch (InvalidDatasetException expected) {
            // the documented refusal
        }
        try (SafeTensorsFile st = SafeTensors.open(file, FuzzFiles.LIMITS.maxSafetensorsHeaderBytes())) {
            for (TensorInfo tensor : st.header().tensors().values()) {
                if (tensor.byteLength() <= FuzzFiles.LIMITS.maxUncompressedBytes()) {
                    st.readBytes(tensor.name());
                }
            }
        } catch (SafeTensorsFormatException expected) {
            // the documented refusal
        }
    }
}
