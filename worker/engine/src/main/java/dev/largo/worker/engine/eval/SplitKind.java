package dev.largo.worker.engine.eval;

/** Whether an evaluation split is in-domain or out-of-distribution. */
public enum SplitKind {
    ID("id"),
    OOD("ood");

    private final String id;

    SplitKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static SplitKind fromId(String id) {
        for (SplitKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown split kind \"" + id + "\" (supported: id, ood)");
    }
}
