package dev.largo.worker.engine.model;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compares the tensors a file holds with those a config implies; every difference is named. */
public final class WeightsCheck {

    private static final int MAX_REPORTED = 5;

    private WeightsCheck() {
    }

    /**
     * @param expected tensor name to shape, from {@link ModelConfig#expectedTensors()}
     * @param actual tensor name to shape, as found in the file
     * @param architecture for messages
     * @throws InvalidModelException (param {@code weights}, location the first tensor at fault) listing up to
     *     five problems: missing tensors, unexpected tensors, wrong shapes
     */
    public static void verify(Map<String, Shape> expected, Map<String, Shape> actual, String architecture) {
        List<String> problems = new ArrayList<>();
        String first = null;
        for (Map.Entry<String, Shape> entry : expected.entrySet()) {
            Shape found = actual.get(entry.getKey());
            String problem = null;
            if (found == null) {
                problem = "tensor " + entry.getKey() + " is missing (expected shape " + format(entry.getValue()) + ")";
            } else if (!found.equals(entry.getValue())) {
                problem = "tensor " + entry.getKey() + " has shape " + format(found) + ", expected "
                        + format(entry.getValue());
            }
            if (problem != null) {
                first = first == null ? entry.getKey() : first;
                problems.add(problem);
            }
        }
        for (Map.Entry<String, Shape> entry : actual.entrySet()) {
            if (!expected.containsKey(entry.getKey())) {
                first = first == null ? entry.getKey() : first;
                problems.add("unexpected tensor " + entry.getKey() + " with shape " + format(entry.getValue())
                        + " (not part of a " + architecture + " with this config)");
            }
        }
        if (!problems.isEmpty()) {
            String message = String.join("; ", problems.subList(0, Math.min(MAX_REPORTED, problems.size())));
            if (problems.size() > MAX_REPORTED) {
                message += "; and " + (problems.size() - MAX_REPORTED) + " more";
            }
            throw new InvalidModelException("weights", first, "model.safetensors does not match config.json: " + message);
        }
    }

    static String format(Shape shape) {
        return java.util.Arrays.toString(shape.getShape());
    }
}
