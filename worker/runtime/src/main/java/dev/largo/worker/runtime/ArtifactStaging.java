package dev.largo.worker.runtime;

import dev.largo.db.artifacts.ArtifactNotFoundException;
import dev.largo.db.artifacts.ArtifactRef;
import dev.largo.db.artifacts.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Copies artifacts from the store to local files for the engine, which reads files. Streams (the store reads
 * chunk by chunk, nothing is held whole in memory) and checks the SHA-256 recorded at upload, so a file
 * damaged in storage is caught before training on it rather than as an odd result.
 */
public class ArtifactStaging {

    private final ArtifactStore artifacts;

    public ArtifactStaging(ArtifactStore artifacts) {
        this.artifacts = artifacts;
    }

    /**
     * Writes the artifact to {@code target} (replacing it); a partial file is never left under that name.
     *
     * @throws ArtifactNotFoundException if there is no such artifact
     * @throws IOException if writing fails or the content does not match its recorded checksum
     */
    public Path stage(UUID artifactId, Path target) throws IOException {
        ArtifactRef ref = artifacts.find(artifactId).orElseThrow(() -> new ArtifactNotFoundException(artifactId));
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(artifacts.open(artifactId), digest);
                OutputStream out = Files.newOutputStream(partial)) {
            in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (ref.sha256() != null && !ref.sha256().equalsIgnoreCase(actual)) {
            Files.deleteIfExists(partial);
            throw new IOException("artifact " + artifactId + " (" + ref.filename() + ") read back with SHA-256 " + actual
                    + " but was stored with " + ref.sha256());
        }
        return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
