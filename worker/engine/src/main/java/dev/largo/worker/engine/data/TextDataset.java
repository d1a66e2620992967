package dev.largo.worker.engine.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/** Labelled texts for text classification (JSONL {"text","label"}). */
public record TextDataset(List<String> texts, int[] labels, List<String> classNames) implements LabelledData {

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

    @Override
    public int count() {
        return texts.size();
    }

    @Override
    public void fingerprint(MessageDigest digest) {
        digest.update(("texts:" + texts.size() + ":" + classNames).getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < texts.size(); i++) {
            digest.update((byte) 0);
            digest.update(texts.get(i).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(Integer.toString(labels[i]).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The examples of every part, in order; all must share the class names. */
    public static TextDataset concat(List<TextDataset> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        List<String> classes = parts.get(0).classNames();
        List<String> texts = new ArrayList<>();
        int count = parts.stream().mapToInt(TextDataset::count).sum();
        int[] labels = new int[count];
        for (TextDataset part : parts) {
            if (!part.classNames().equals(classes)) {
                throw new IllegalArgumentException("datasets differ in classes: " + part.classNames() + " vs " + classes);
            }
            System.arraycopy(part.labels(), 0, labels, texts.size(), part.count());
            texts.addAll(part.texts());
        }
        return new TextDataset(texts, labels, classes);
    }
}
