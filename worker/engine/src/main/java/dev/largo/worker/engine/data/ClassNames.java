package dev.largo.worker.engine.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Shared checks of integer labels against a class-name list. */
final class ClassNames {

    private ClassNames() {
    }

    /**
     * Checks {@code labels} against {@code given} (may be null: then "0" .. "K-1", K = largest label + 1)
     * and returns the class names to use.
     */
    static List<String> resolve(List<String> given, int[] labels, String location, int maxClasses)
            throws InvalidDatasetException {
        int max = -1;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new InvalidDatasetException(location, "label " + labels[i] + " of example " + i + " is negative");
            }
            max = Math.max(max, labels[i]);
        }
        if (given == null) {
            if (max >= maxClasses) {
                throw new InvalidDatasetException(location, "label " + max + " implies more than " + maxClasses
                        + " classes; " + DatasetLimits.named(DatasetLimits.MAX_CLASSES, maxClasses));
            }
            List<String> names = new ArrayList<>(max + 1);
            for (int i = 0; i <= max; i++) {
                names.add(Integer.toString(i));
            }
            return names;
        }
        checkDistinct(given, location);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= given.size()) {
                throw new InvalidDatasetException(location, "label " + labels[i] + " of example " + i
                        + " is out of range for " + given.size() + " class names");
            }
        }
        return List.copyOf(given);
    }

    /**
     * {@code labels} (indices into {@code classNames}) renumbered onto {@code target}'s classes by name, so that
     * an evaluation set's label i means the training set's class i.
     *
     * @throws InvalidDatasetException (location "example N", 1-based) at the first example whose class the
     *     target lacks
     */
    static int[] remap(int[] labels, List<String> classNames, List<String> target) throws InvalidDatasetException {
        int[] mapping = new int[classNames.size()];
        for (int i = 0; i < mapping.length; i++) {
            mapping[i] = target.indexOf(classNames.get(i));
        }
        int[] mapped = new int[labels.length];
        for (int n = 0; n < labels.length; n++) {
            mapped[n] = mapping[labels[n]];
            if (mapped[n] < 0) {
                throw new InvalidDatasetException("example " + (n + 1), "label \"" + classNames.get(labels[n])
                        + "\" is not a class of the training set " + target);
            }
        }
        return mapped;
    }

    static void checkDistinct(List<String> names, String location) throws InvalidDatasetException {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new InvalidDatasetException(location, "class names must be non-empty strings");
            }
            if (!seen.add(name)) {
                throw new InvalidDatasetException(location, "class name '" + name + "' appears twice");
            }
        }
    }
}
