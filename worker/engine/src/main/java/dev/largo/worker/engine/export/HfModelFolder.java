package dev.largo.worker.engine.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A Hugging Face model folder as one zip, what a user downloads for a merged model: {@code config.json},
 * {@code model.safetensors} and {@code preprocessor_config.json} at the top level, so that unzipping it gives a
 * folder {@code from_pretrained} loads. Entries are stored in name order with a fixed time, so the same folder
 * always gives the same bytes; the zip is written atomically.
 */
public final class HfModelFolder {

    private static final long FIXED_TIME = 315532800000L + 12 * 3600 * 1000L;

    private HfModelFolder() {
    }

    /** Zips the regular files directly in {@code directory} into {@code zip}. */
    public static Path zip(Path directory, Path zip) throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(directory)) {
            files = listed.filter(Files::isRegularFile).sorted().toList();
        }
        Path parent = zip.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".model", ".zip.tmp");
        try {
            try (OutputStream file = Files.newOutputStream(temp); ZipOutputStream out = new ZipOutputStream(file)) {
                for (Path path : files) {
                    ZipEntry entry = new ZipEntry(path.getFileName().toString());
                    entry.setTime(FIXED_TIME);
                    out.putNextEntry(entry);
                    try (InputStream in = Files.newInputStream(path)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
            Files.move(temp, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return zip;
    }
}
