package dev.largo.worker.builtin;

/** Which part of the task a shipped sample dataset is. */
public enum SampleSplit {
    TRAIN("train"),
    VALIDATION("validation"),
    TEST("test");

    private final String id;

    SampleSplit(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
