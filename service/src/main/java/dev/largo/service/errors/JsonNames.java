package dev.largo.service.errors;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps Java property paths of the generated models ({@code hyperparameters.batchSize},
 * {@code evaluationSplits[0].kind}) to the names a client sent ({@code hyperparameters.batch_size},
 * {@code evaluation_splits[0].kind}): the contract is snake_case and the generator camel-cases it, so the
 * reverse mapping is exact for every property of the contract.
 */
public final class JsonNames {

    private static final Pattern UPPER = Pattern.compile("([a-z0-9])([A-Z])");

    private JsonNames() {
    }

    public static String snakeCase(String javaPath) {
        if (javaPath == null) {
            return null;
        }
        Matcher m = UPPER.matcher(javaPath);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, m.group(1) + "_" + m.group(2).toLowerCase());
        }
        m.appendTail(out);
        String snake = out.toString();
        // the generator names a property called "object" "_object"
        return snake.replace("_object", "object");
    }
}
