package dev.largo.db.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Artifacts in PostgreSQL: a row in {@code artifacts} and the content in 1 MiB {@code bytea} rows of
 * {@code artifact_chunks}, so a deployment needs nothing but its database and every worker sees every file.
 *
 * <p>Plain JDBC through {@link JdbcTemplate}: it joins the caller's Spring transaction (JPA or JDBC) and
 * handles one chunk at a time, where an entity with a byte[] would be materialised whole.
 */
@Component
public class PostgresArtifactStore implements ArtifactStore {

    /** Large enough that per-row overhead is negligible, small enough to keep memory flat. */
    public static final int CHUNK_SIZE = 1024 * 1024;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public PostgresArtifactStore(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        // PROPAGATION_REQUIRED: join the caller's transaction, or make the upload atomic on its own.
        this.transaction = new TransactionTemplate(transactionManager);
    }

    @Override
    public ArtifactRef put(String kind, String filename, String contentType, InputStream in) {
        requireText(kind, "kind");
        requireText(filename, "filename");
        requireText(contentType, "contentType");
        Objects.requireNonNull(in, "in");
        return transaction.execute(status -> store(kind, filename, contentType, in));
    }

    private ArtifactRef store(String kind, String filename, String contentType, InputStream in) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into artifacts (id, kind, filename, content_type) values (?, ?, ?, ?)",
                id, kind, filename, contentType);
        MessageDigest sha256 = newSha256();
        byte[] buffer = new byte[CHUNK_SIZE];
        long size = 0;
        int seq = 0;
        try {
            int n;
            while ((n = in.readNBytes(buffer, 0, CHUNK_SIZE)) > 0) {
                sha256.update(buffer, 0, n);
                size += n;
                byte[] chunk = n == CHUNK_SIZE ? buffer : Arrays.copyOf(buffer, n);
                jdbc.update("insert into artifact_chunks (artifact_id, seq, data) values (?, ?, ?)", id, seq++, chunk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the content of artifact '" + filename + "' failed", e);
        }
        String hex = HexFormat.of().formatHex(sha256.digest());
        jdbc.update("update artifacts set size_bytes = ?, sha256 = ? where id = ?", size, hex, id);
        return new ArtifactRef(id, kind, filename, contentType, size, hex);
    }

    @Override
    public InputStream open(UUID id) {
        ArtifactRef ref = find(id).orElseThrow(() -> new ArtifactNotFoundException(id));
        return new ChunkedArtifactInputStream(jdbc, ref.id(), ref.sizeBytes());
    }

    @Override
    public Optional<ArtifactRef> find(UUID id) {
        return jdbc.query("select id, kind, filename, content_type, size_bytes, sha256 from artifacts where id = ?",
                rs -> rs.next()
                        ? Optional.of(new ArtifactRef(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getLong(5), rs.getString(6)))
                        : Optional.empty(),
                id);
    }

    @Override
    public void delete(UUID id) {
        jdbc.update("delete from artifacts where id = ?", id);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("artifact " + name + " must not be blank");
        }
    }
}
