package dev.largo.worker.engine.train;

import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.method.largo.RegulatedProjection;
import dev.largo.worker.engine.optim.AdamW;
import dev.largo.worker.engine.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The fine-tuning phase's optimizer: AdamW, wrapped in the regulated projection (worker/engine/docs/largo.md §2) for the
 * methods that project (largo: A and B; ftp: every pretrained tensor; never the head).
 */
public final class OptimizerFactory {

    private OptimizerFactory() {
    }

    public static Optimizer create(NDManager state, MethodConfig methodConfig, PreparedMethod method,
                                   Hyperparameters hyper) {
        AdamW adam = new AdamW(state, (float) hyper.weightDecay());
        if (method.regulated().isEmpty()) {
            return adam;
        }
        Set<String> regulated = method.regulated();
        return new RegulatedProjection(state, adam, methodConfig.largo(), regulated::contains);
    }

    /** Per-tensor radius gamma of a projecting optimizer, for progress reports; empty for plain AdamW. */
    public static Map<String, Double> gammas(Optimizer optimizer) {
        if (!(optimizer instanceof RegulatedProjection projection)) {
            return Map.of();
        }
        Map<String, Double> gammas = new LinkedHashMap<>();
        projection.gammas().forEach((name, gamma) -> gammas.put(name, gamma.doubleValue()));
        return gammas;
    }
}
