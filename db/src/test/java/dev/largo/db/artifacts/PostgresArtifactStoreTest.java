package dev.largo.db.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.largo.db.testsupport.DbIntegrationTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class PostgresArtifactStoreTest extends DbIntegrationTest {

    private static final int MIB = 1024 * 1024;

    @Autowired
    ArtifactStore store;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void roundTripsTenMebibytesWithSizeAndSha256() throws Exception {
        long size = 10L * MIB + 123; // not a multiple of the chunk size: the last chunk is short
        ArtifactRef ref = store.put("dataset", "train.zip", "application/zip", new GeneratedStream(size, 42));

        String expectedSha = sha256Of(new GeneratedStream(size, 42));
        assertThat(ref.sizeBytes()).isEqualTo(size);
        assertThat(ref.sha256()).isEqualTo(expectedSha);
        assertThat(store.find(ref.id())).contains(ref);
        assertThat(jdbc.queryForObject("select count(*) from artifact_chunks where artifact_id = ?", Long.class, ref.id()))
                .isEqualTo(11);

        try (InputStream in = store.open(ref.id())) {
            assertThat(sha256Of(in)).isEqualTo(expectedSha);
        }
    }

    @Test
    void storesEmptyContent() throws Exception {
        ArtifactRef ref = store.put("adapter", "empty.bin", "application/octet-stream", new ByteArrayInputStream(new byte[0]));
        assertThat(ref.sizeBytes()).isZero();
        assertThat(ref.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        try (InputStream in = store.open(ref.id())) {
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void writesChunksWhileTheUploadIsStillBeingRead() {
        // The source checks, when it has produced 8 MiB, how many chunk rows the (same, uncommitted)
        // transaction already holds: a store that buffered the whole content would have written none yet.
        long[] chunksSeenAtEightMib = {-1};
        InputStream source = new GeneratedStream(16L * MIB, 7) {
            @Override
            protected void onPosition(long position) {
                if (position == 8L * MIB && chunksSeenAtEightMib[0] < 0) {
                    chunksSeenAtEightMib[0] = jdbc.queryForObject(
                            "select count(*) from artifact_chunks c join artifacts a on a.id = c.artifact_id"
                                    + " where a.sha256 is null", Long.class);
                }
            }
        };
        ArtifactRef ref = store.put("dataset", "big.bin", "application/octet-stream", source);
        assertThat(ref.sizeBytes()).isEqualTo(16L * MIB);
        assertThat(chunksSeenAtEightMib[0]).isGreaterThanOrEqualTo(7);
    }

    @Test
    void readsChunksLazily() throws Exception {
        ArtifactRef ref = store.put("checkpoint", "ckpt.bin", "application/octet-stream", new GeneratedStream(6L * MIB, 3));
        try (InputStream in = store.open(ref.id())) {
            assertThat(in.read()).isNotNegative();
            // Removing a later chunk after the download started must be noticed: nothing was read ahead.
            jdbc.update("delete from artifact_chunks where artifact_id = ? and seq = 4", ref.id());
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                    .hasMessageContaining("incomplete").hasMessageContaining(ref.id().toString());
        }
    }

    @Test
    void failedTransactionLeavesNoArtifact() {
        long artifactsBefore = count("artifacts");
        long chunksBefore = count("artifact_chunks");
        UUID[] stored = new UUID[1];
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            stored[0] = store.put("dataset", "bad.zip", "application/zip", new GeneratedStream(3L * MIB, 1)).id();
            throw new IllegalStateException("validation failed after upload");
        })).hasMessage("validation failed after upload");

        assertThat(stored[0]).isNotNull();
        assertThat(store.find(stored[0])).isEmpty();
        assertThat(count("artifacts")).isEqualTo(artifactsBefore);
        assertThat(count("artifact_chunks")).isEqualTo(chunksBefore);
    }

    @Test
    void failingSourceLeavesNoArtifact() {
        long artifactsBefore = count("artifacts");
        InputStream broken = new GeneratedStream(4L * MIB, 9) {
            @Override
            protected void onPosition(long position) throws IOException {
                if (position >= 2L * MIB) {
                    throw new IOException("client went away");
                }
            }
        };
        assertThatThrownBy(() -> store.put("dataset", "cut.zip", "application/zip", broken))
                .hasMessageContaining("cut.zip").hasRootCauseMessage("client went away");
        assertThat(count("artifacts")).isEqualTo(artifactsBefore);
    }

    @Test
    void deleteRemovesContentAndMissingArtifactsAreReported() {
        ArtifactRef ref = store.put("adapter", "a.zip", "application/zip", new GeneratedStream(MIB + 1, 5));
        store.delete(ref.id());
        assertThat(store.find(ref.id())).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from artifact_chunks where artifact_id = ?", Long.class, ref.id()))
                .isZero();
        assertThatThrownBy(() -> store.open(ref.id())).isInstanceOf(ArtifactNotFoundException.class)
                .hasMessageContaining(ref.id().toString());
        store.delete(ref.id()); // idempotent
    }

    @Test
    void rejectsBlankMetadata() {
        assertThatThrownBy(() -> store.put(" ", "a", "b", new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind");
    }

    private long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }

    private static String sha256Of(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Deterministic pseudo-random bytes produced on the fly, never held as a whole. */
    static class GeneratedStream extends InputStream {
        private final long size;
        private long position;
        private long state;

        GeneratedStream(long size, long seed) {
            this.size = size;
            this.state = seed * 0x9E3779B97F4A7C15L + 1;
        }

        /** Called before producing the byte at {@code position}. */
        protected void onPosition(long position) throws IOException {
        }

        @Override
        public int read() throws IOException {
            if (position >= size) {
                return -1;
            }
            onPosition(position);
            position++;
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            return (int) (state & 0xff);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= size) {
                return -1;
            }
            // Produce at most 64 KiB per call, like a network socket would.
            int n = (int) Math.min(Math.min(len, 64 * 1024), size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) read();
            }
            return n;
        }
    }
}
