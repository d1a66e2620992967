package dev.largo.worker.runtime;

import dev.largo.worker.engine.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import tools.jackson.databind.JsonNode;

/** Reads what the adapter row records about an exported PEFT zip. */
final class AdapterZips {

    private AdapterZips() {
    }

    /** The LoRA rank {@code r} of the zip's {@code adapter_config.json}; 0 for an export without a low-rank part. */
    static int rank(Path zip) {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            ZipEntry config = archive.getEntry("adapter_config.json");
            if (config == null) {
                return 0;
            }
            try (InputStream in = archive.getInputStream(config)) {
                JsonNode r = Json.MAPPER.readTree(in).get("r");
                return r == null || !r.isNumber() ? 0 : r.intValue();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the exported adapter " + zip, e);
        }
    }
}
