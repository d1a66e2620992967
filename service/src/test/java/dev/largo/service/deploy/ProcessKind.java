package dev.largo.service.deploy;

/** The two programs the images run; which one a container runs follows from its image. */
enum ProcessKind {
    SERVICE("largo-service"),
    WORKER("largo-worker");

    private final String imagePrefix;

    ProcessKind(String imagePrefix) {
        this.imagePrefix = imagePrefix;
    }

    /** largo-service:TAG is the service; largo-worker:TAG and largo-worker-cuda:TAG are workers. */
    static ProcessKind ofImage(String image) {
        String repository = image.substring(image.lastIndexOf('/') + 1);
        for (ProcessKind kind : values()) {
            if (repository.startsWith(kind.imagePrefix + ":") || repository.startsWith(kind.imagePrefix + "-")
                    || repository.equals(kind.imagePrefix)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("image " + image + " runs neither the service nor a worker");
    }
}
