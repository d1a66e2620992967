package dev.largo.service.downloads;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A zip of several sources, produced as it is read: each source is opened only when the zip reaches it and copied
 * chunk by chunk, so a download of a model's weights holds neither the weights nor the zip in memory or on disk.
 * The fast deflate level is used: safetensors weights barely compress, and the download should not wait on it.
 */
public final class ZipStream extends InputStream {

    /** One entry of the zip and how to open its content. */
    public record Entry(String name, Supplier<InputStream> content) {
    }

    private final Iterator<Entry> entries;
    private final Buffer buffer = new Buffer();
    private final ZipOutputStream zip = new ZipOutputStream(buffer);
    private final byte[] chunk = new byte[64 * 1024];
    private InputStream current;
    private boolean finished;
    private int position;

    public ZipStream(List<Entry> entries) {
        this.entries = List.copyOf(entries).iterator();
        zip.setLevel(Deflater.BEST_SPEED);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position >= buffer.size()) {
            buffer.reset();
            position = 0;
            if (!produce()) {
                return -1;
            }
        }
        int n = Math.min(length, buffer.size() - position);
        System.arraycopy(buffer.bytes(), position, target, offset, n);
        position += n;
        return n;
    }

    /** Writes the next piece of the zip into the buffer; false when the zip is complete. */
    private boolean produce() throws IOException {
        if (current != null) {
            int n = current.read(chunk);
            if (n > 0) {
                zip.write(chunk, 0, n);
            } else if (n < 0) {
                current.close();
                current = null;
                zip.closeEntry();
            }
            return true;
        }
        if (entries.hasNext()) {
            Entry entry = entries.next();
            zip.putNextEntry(new ZipEntry(entry.name()));
            try {
                current = entry.content().get();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            return true;
        }
        if (!finished) {
            zip.finish();
            finished = true;
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** A ByteArrayOutputStream whose array can be read without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        byte[] bytes() {
            return buf;
        }
    }
}
