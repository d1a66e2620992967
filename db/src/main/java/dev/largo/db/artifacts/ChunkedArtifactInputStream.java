package dev.largo.db.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import lombok.RequiredArgsConstructor;
import lombok.AccessLevel;

/**
 * Reads an artifact one chunk row at a time. Each chunk is its own short query, so a slow download holds no
 * database connection between reads (outside a transaction) and only one chunk is in memory.
 */
@RequiredArgsConstructor(access = AccessLevel.PACKAGE)
final class ChunkedArtifactInputStream extends InputStream {

    private final JdbcTemplate jdbc;
    private final UUID artifactId;
    private final long expectedSize;

    private byte[] chunk = new byte[0];
    private int position;
    private int nextSeq;
    private long delivered;
    private boolean finished;
    private boolean closed;

    @Override
    public int read() throws IOException {
        if (!ensureAvailable()) {
            return -1;
        }
        delivered++;
        return chunk[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!ensureAvailable()) {
            return -1;
        }
        int n = Math.min(len, chunk.length - position);
        System.arraycopy(chunk, position, b, off, n);
        position += n;
        delivered += n;
        return n;
    }

    @Override
    public int available() {
        return closed ? 0 : chunk.length - position;
    }

    @Override
    public void close() {
        closed = true;
        chunk = new byte[0];
        position = 0;
    }

    /** True if at least one byte is buffered, fetching the next chunk if needed; false at the end. */
    private boolean ensureAvailable() throws IOException {
        if (closed) {
            throw new IOException("stream of artifact " + artifactId + " is closed");
        }
        while (position == chunk.length) {
            if (finished) {
                return false;
            }
            byte[] next = fetch(nextSeq);
            if (next == null) {
                finished = true;
                if (delivered != expectedSize) {
                    throw new IOException("artifact " + artifactId + " is incomplete: " + delivered
                            + " bytes stored of " + expectedSize + " recorded");
                }
                return false;
            }
            nextSeq++;
            chunk = next;
            position = 0;
        }
        return true;
    }

    private byte[] fetch(int seq) throws IOException {
        try {
            return jdbc.query("select data from artifact_chunks where artifact_id = ? and seq = ?",
                    rs -> rs.next() ? rs.getBytes(1) : null, artifactId, seq);
        } catch (RuntimeException e) {
            throw new IOException("reading chunk " + seq + " of artifact " + artifactId + " failed", e);
        }
    }
}
