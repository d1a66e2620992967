package dev.largo.worker.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlTextReaderTest {

    @TempDir
    Path dir;

    private final JsonlTextReader reader = new JsonlTextReader();

    @Test
    void stringLabelsAreSortedIntoClasses() throws Exception {
        TextDataset data = reader.read(write("\uFEFF{\"text\":\"good film\",\"label\":\"pos\"}\r\n"
                + "\n"
                + "{\"label\":\"neg\",\"text\":\"bad\",\"extra\":1}\n"
                + "{\"text\":\"caf\u00e9 \\\"ok\\\"\",\"label\":\"pos\"}"));
        assertThat(data.texts()).containsExactly("good film", "bad", "caf\u00e9 \"ok\"");
        assertThat(data.classNames()).containsExactly("neg", "pos");
        assertThat(data.labels()).containsExactly(1, 0, 1);
    }

    @Test
    void integerLabelsIndexClassesDirectly() throws Exception {
        TextDataset data = reader.read(write("{\"text\":\"a\",\"label\":2}\n{\"text\":\"b\",\"label\":0}\n"));
        assertThat(data.classNames()).containsExactly("0", "1", "2");
        assertThat(data.labels()).containsExactly(2, 0);
    }

    @Test
    void errorsNameTheRow() throws Exception {
        String ok = "{\"text\":\"a\",\"label\":\"x\"}\n";
        assertInvalid(ok + "{\"text\":\"b\"}\n", "row 2", "missing \"label\"");
        assertInvalid(ok + "\n{\"text\":\"b\",\"label\":null}\n", "row 3", "missing \"label\"");
        assertInvalid(ok + "{\"text\": \"b\", label}\n", "row 2", "not valid JSON");
        assertInvalid(ok + "{\"text\":\"  \",\"label\":\"x\"}\n", "row 2", "empty \"text\"");
        assertInvalid(ok + "{\"label\":\"x\"}\n", "row 2", "missing \"text\"");
        assertInvalid(ok + "{\"text\":\"b\",\"label\":1}\n", "row 2", "integer but row 1 has a string label");
        assertInvalid("{\"text\":\"b\",\"label\":1}\n" + ok, "row 2", "string but row 1 has an integer label");
        assertInvalid(ok + "{\"text\":\"b\",\"label\":1.5}\n", "row 2", "string or a non-negative integer");
        assertInvalid("{\"text\":\"b\",\"label\":-1}\n", "row 1", "outside [0, 100000)");
        assertInvalid("{\"text\":\"b\",\"label\":99999999999}\n", "row 1", "outside");
        assertInvalid(ok + "[1,2]\n", "row 2", "must be a JSON object");
        assertInvalid(ok + "{\"text\":\"b\",\"label\":\"x\"} {}\n", "row 2", "not valid JSON");
        assertInvalid(ok + "{\"text\":\"b\",\"text\":\"c\",\"label\":\"x\"}\n", "row 2", "Duplicate");
        assertInvalid("\n\n", "t.jsonl", "no rows");
        Path badUtf8 = dir.resolve("u.jsonl");
        Files.write(badUtf8, new byte[] {'{', '"', 't', (byte) 0xff, '"', '}', '\n'});
        assertThatThrownBy(() -> reader.read(badUtf8)).isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("row 1: not valid UTF-8");
    }

    @Test
    void rowLengthAndCountAreBounded() throws Exception {
        JsonlTextReader tight = new JsonlTextReader(DatasetLimits.DEFAULT.withMaxExamples(2).withMaxRowBytes(40));
        Path longRow = write("{\"text\":\"a\",\"label\":\"x\"}\n{\"text\":\"" + "y".repeat(100) + "\",\"label\":\"x\"}\n");
        assertThatThrownBy(() -> tight.read(longRow)).hasMessageContaining("row 2: longer than 40 bytes; largo.limits.max-row-bytes is 40");
        Path manyRows = write("{\"text\":\"a\",\"label\":\"x\"}\n".repeat(3));
        assertThatThrownBy(() -> tight.read(manyRows)).hasMessageContaining("row 3: more than 2 rows; largo.limits.max-examples is 2");
    }

    private Path write(String content) throws Exception {
        return Files.write(dir.resolve("t.jsonl"), content.getBytes(StandardCharsets.UTF_8));
    }

    private void assertInvalid(String content, String location, String message) throws Exception {
        Path file = write(content);
        assertThatThrownBy(() -> reader.read(file)).isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidDatasetException) e).location()).isEqualTo(location));
    }
}
