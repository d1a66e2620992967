package dev.largo.service.jobs;

import dev.largo.db.datasets.DatasetEntity;
import dev.largo.db.datasets.DatasetFormat;
import java.util.List;

/**
 * How to fix an evaluation dataset whose class names the training dataset does not have: what the training
 * classes are, and where the evaluation dataset's names came from (a safetensors file without {@code class_names}
 * metadata gets "0".."N-1", which is the usual cause).
 */
final class LabelMismatchHint {

    private LabelMismatchHint() {
    }

    static String of(DatasetEntity training, DatasetEntity eval) {
        List<String> classes = training.getClassNames();
        String trainingClasses = String.join(", ", classes.subList(0, Math.min(10, classes.size())))
                + (classes.size() > 10 ? ", ..." : "");
        String source = eval.getFormat() == DatasetFormat.SAFETENSORS
                ? "A safetensors dataset takes its class names from the `class_names` entry of its `__metadata__` (a"
                + " JSON list of strings, index = label) and is named \"0\" .. \"N-1\" without it: write the"
                + " training classes' names there and upload it again."
                : eval.getFormat() == DatasetFormat.IMAGEFOLDER_ZIP
                ? "An ImageFolder zip takes its class names from its label folders: name them as the training"
                + " classes and upload it again."
                : "Relabel it with the training classes' names and upload it again.";
        return "The evaluation datasets must use the training dataset's class names (" + trainingClasses + "). "
                + source;
    }
}
