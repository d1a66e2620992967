package dev.largo.db.artifacts;

import java.util.UUID;

public class ArtifactNotFoundException extends RuntimeException {

    private final UUID artifactId;

    public ArtifactNotFoundException(UUID artifactId) {
        super("artifact " + artifactId + " does not exist");
        this.artifactId = artifactId;
    }

    public UUID artifactId() {
        return artifactId;
    }
}
