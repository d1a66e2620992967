package dev.largo.db.artifacts;

import java.util.UUID;

/** What the artifact store knows about a stored file. {@code sha256} is lower-case hex. */
public record ArtifactRef(UUID id, String kind, String filename, String contentType, long sizeBytes, String sha256) {
}
