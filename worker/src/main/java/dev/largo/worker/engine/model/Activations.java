package dev.largo.worker.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.Set;

/** The {@code hidden_act} values the engine runs. */
public final class Activations {

    /** "gelu" is the exact erf form, as in Hugging Face and torch's default (approximate='none'). */
    public static final Set<String> SUPPORTED = Set.of("gelu", "relu");

    private Activations() {
    }

    public static void require(String name) {
        if (!SUPPORTED.contains(name)) {
            throw ConfigFields.invalid("hidden_act", "hidden_act \"" + name + "\" is not supported (supported: gelu, relu)");
        }
    }

    public static NDArray apply(String name, NDArray x) {
        return switch (name) {
            case "gelu" -> Activation.gelu(x);
            case "relu" -> Activation.relu(x);
            default -> throw new IllegalArgumentException("unsupported activation " + name);
        };
    }
}
