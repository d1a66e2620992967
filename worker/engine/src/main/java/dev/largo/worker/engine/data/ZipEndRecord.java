package dev.largo.worker.engine.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The entry count a zip's end record declares (zip64 included), read from the file's tail. {@link java.util.zip.ZipFile}
 * loads the whole central directory and indexes every entry before it says how many there are; reading the count
 * first lets the entry limit refuse a zip of millions of tiny entries before any of that is allocated. A file
 * without a readable end record yields nothing here and is left to {@code ZipFile} to refuse.
 */
final class ZipEndRecord {

    private static final int END_SIGNATURE = 0x06054b50;
    private static final int END_BYTES = 22;
    private static final int MAX_COMMENT = 0xffff;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_LOCATOR_BYTES = 20;
    private static final int ZIP64_END_SIGNATURE = 0x06064b50;
    private static final int ZIP64_END_BYTES = 56;

    private ZipEndRecord() {
    }

    /** The declared number of entries, or empty when the file has no end record this reader can follow. */
    static Optional<Long> declaredEntries(Path zip) throws IOException {
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = channel.size();
            int tailBytes = (int) Math.min(size, END_BYTES + MAX_COMMENT);
            ByteBuffer tail = read(channel, size - tailBytes, tailBytes);
            for (int at = tailBytes - END_BYTES; at >= 0; at--) {
                if (tail.getInt(at) != END_SIGNATURE) {
                    continue;
                }
                long entries = tail.getShort(at + 10) & 0xffff;
                if (entries != 0xffff) {
                    return Optional.of(entries);
                }
                return zip64Entries(channel, size - tailBytes + at, size);
            }
            return Optional.empty();
        }
    }

    /** The count of the zip64 end record that the locator just before the end record at {@code endAt} points to. */
    private static Optional<Long> zip64Entries(FileChannel channel, long endAt, long size) throws IOException {
        if (endAt < ZIP64_LOCATOR_BYTES) {
            return Optional.empty();
        }
        ByteBuffer locator = read(channel, endAt - ZIP64_LOCATOR_BYTES, ZIP64_LOCATOR_BYTES);
        if (locator.getInt(0) != ZIP64_LOCATOR_SIGNATURE) {
            return Optional.empty();
        }
        long zip64EndAt = locator.getLong(8);
        if (zip64EndAt < 0 || zip64EndAt > size - ZIP64_END_BYTES) {
            return Optional.empty();
        }
        ByteBuffer end = read(channel, zip64EndAt, ZIP64_END_BYTES);
        if (end.getInt(0) != ZIP64_END_SIGNATURE) {
            return Optional.empty();
        }
        // an unsigned 64-bit count above Long.MAX_VALUE reads negative: as many entries as can be
        long entries = end.getLong(32);
        return Optional.of(entries < 0 ? Long.MAX_VALUE : entries);
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return buffer.clear();
    }
}
