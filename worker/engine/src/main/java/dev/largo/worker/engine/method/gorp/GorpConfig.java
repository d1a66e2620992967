package dev.largo.worker.engine.method.gorp;

import dev.largo.worker.engine.support.InvalidSettingException;
import java.util.List;

/**
 * GORP's settings (worker/engine/docs/gorp.md), its defaults in {@link #DEFAULT}.
 *
 * @param rank r of each task's LoRA pair
 * @param alpha LoRA alpha; every pair is scaled by s = alpha / rank
 * @param loraTargets module-name suffixes that get the expanding LoRA (PEFT's suffix rule)
 * @param fullRankTargets module-name suffixes whose weights train directly with GaLore-compressed gradients;
 *     must select other modules than {@code loraTargets}
 * @param galoreRank k: singular vectors kept for the compressed gradient
 * @param refreshSteps T: the projection Q is recomputed from the current gradient every T steps
 * @param galoreScale the GaLore scale alpha applied to the full-rank update
 * @param energyThreshold epsilon of the energy rule that grows the shared gradient spaces after each task
 * @param fullRankLearningRate peak learning rate of the full-rank part (it follows the run's schedule); null:
 *     the run's learning rate
 */
public record GorpConfig(int rank, double alpha, List<String> loraTargets, List<String> fullRankTargets,
                         int galoreRank, int refreshSteps, double galoreScale, double energyThreshold,
                         Double fullRankLearningRate) {

    /** LoRA r 8, alpha 16 on attention query and value; full rank on the MLP's first linear; k 8, T 10, 0.25, 0.9. */
    public static final GorpConfig DEFAULT = new GorpConfig(8, 16, List.of("query", "value"),
            List.of("intermediate.dense"), 8, 10, 0.25, 0.9, null);

    public GorpConfig {
        require(rank >= 1, "method.gorp.rank", "gorp.rank must be at least 1, found " + rank);
        require(alpha > 0 && !Double.isInfinite(alpha), "method.gorp.alpha",
                "gorp.alpha must be positive, found " + alpha);
        require(loraTargets != null && fullRankTargets != null, "method.gorp.lora_targets",
                "gorp.lora_targets and gorp.full_rank_targets are required");
        loraTargets = List.copyOf(loraTargets);
        fullRankTargets = List.copyOf(fullRankTargets);
        require(!loraTargets.isEmpty() || !fullRankTargets.isEmpty(),
                "method.gorp.lora_targets",
                "gorp needs at least one LoRA or full-rank target module");
        for (String target : loraTargets) {
            require(!fullRankTargets.contains(target), "method.gorp.full_rank_targets",
                    "module \"" + target + "\" is both a LoRA and a full-rank target");
        }
        require(galoreRank >= 1, "method.gorp.galore_rank", "gorp.galore_rank must be at least 1, found " + galoreRank);
        require(refreshSteps >= 1, "method.gorp.refresh_steps",
                "gorp.refresh_steps must be at least 1, found " + refreshSteps);
        require(galoreScale > 0 && !Double.isInfinite(galoreScale), "method.gorp.galore_scale",
                "gorp.galore_scale must be positive, found " + galoreScale);
        require(energyThreshold > 0 && energyThreshold <= 1, "method.gorp.energy_threshold",
                "gorp.energy_threshold must be in (0, 1], found " + energyThreshold);
        require(fullRankLearningRate == null || (fullRankLearningRate > 0 && fullRankLearningRate <= 1),
                "method.gorp.full_rank_learning_rate", "gorp.full_rank_learning_rate must be in (0, 1], found " + fullRankLearningRate);
    }

    /** The LoRA scale s = alpha / rank. */
    public double scale() {
        return alpha / rank;
    }

    /** Whether {@code modulePath} equals or ends with "." + one of {@code targets} (PEFT's rule). */
    static boolean matches(String modulePath, List<String> targets) {
        for (String target : targets) {
            if (modulePath.equals(target) || modulePath.endsWith("." + target)) {
                return true;
            }
        }
        return false;
    }

    private static void require(boolean condition, String param, String message) {
        InvalidSettingException.require(condition, param, message);
    }
}
