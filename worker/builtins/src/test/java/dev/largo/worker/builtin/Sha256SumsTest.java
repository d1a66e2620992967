package dev.largo.worker.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256SumsTest {

    @Test
    void writesTheSha256sumFormatAndReadsItBack(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("b.txt"), "abc");
        Files.writeString(dir.resolve("a.txt"), "");
        Sha256Sums.write(dir, List.of("b.txt", "a.txt"));
        // Known vectors: SHA-256("") and SHA-256("abc"); lines sorted by name, two spaces, as sha256sum prints.
        assertThat(Files.readString(dir.resolve("SHA256SUMS"))).isEqualTo(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.txt\n"
                        + "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  b.txt\n");
        assertThat(Sha256Sums.read(Files.newInputStream(dir.resolve("SHA256SUMS"))))
                .containsEntry("b.txt", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void rejectsMalformedLines() {
        assertThatThrownBy(() -> Sha256Sums.read(new ByteArrayInputStream("xyz  file\n".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
    }
}
