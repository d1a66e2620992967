package dev.largo.worker.engine.data;

import java.util.List;

/** Labelled texts for text classification (JSONL {"text","label"}). */
public record TextDataset(List<String> texts, int[] labels, List<String> classNames) {

    public TextDataset {
        if (texts.size() != labels.length) {
            throw new IllegalArgumentException(texts.size() + " texts but " + labels.length + " labels");
        }
        texts = List.copyOf(texts);
        classNames = List.copyOf(classNames);
    }
}
