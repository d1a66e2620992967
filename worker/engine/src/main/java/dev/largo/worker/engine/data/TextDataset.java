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

    /**
     * The same texts labelled with {@code trainingClasses} (an evaluation split may lack some classes, and
     * its label i must mean the training set's class i).
     *
     * @throws InvalidDatasetException naming the first example whose label the training set does not have
     */
    public TextDataset onClasses(List<String> trainingClasses) throws InvalidDatasetException {
        if (classNames.equals(trainingClasses)) {
            return this;
        }
        return new TextDataset(texts, ClassNames.remap(labels, classNames, trainingClasses), trainingClasses);
    }
}
