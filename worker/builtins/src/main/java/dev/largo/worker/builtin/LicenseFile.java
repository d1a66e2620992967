package dev.largo.worker.builtin;

import java.io.IOException;
import java.io.InputStream;

/**
 * A built-in's licence and attribution text, a classpath resource shipped beside it and in its downloads.
 *
 * @param fileName the name it carries in a download
 * @param resource its classpath path (no leading slash)
 */
public record LicenseFile(String fileName, String resource) {

    /** The caller closes the stream. */
    public InputStream open() throws IOException {
        return BuiltinAssets.open(resource);
    }
}
