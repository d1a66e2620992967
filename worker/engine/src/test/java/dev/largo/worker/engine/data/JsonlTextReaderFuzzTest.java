package dev.largo.worker.engine.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Any bytes given to the JSON Lines reader end in a dataset or an {@link InvalidDatasetException} naming the row;
 * anything else (another exception, a hang, running out of memory) is a finding.
 */
class JsonlTextReaderFuzzTest {

    @FuzzTest
    void readsOrRefuses(byte[] input) throws IOException {
        try {
            new JsonlTextReader(FuzzFiles.LIMITS).read(FuzzFiles.write("fuzz.jsonl", input));
        } catch (InvalidDatasetException expected) {
            // the documented refusal
        }
    }
}
