package dev.largo.worker.engine.method.lora;

import dev.largo.worker.engine.model.ImageArchitecture;
import dev.largo.worker.engine.support.InvalidSettingException;
import java.util.List;

/**
 * LoRA settings. {@code alpha} sets the scale {@code s = alpha / r} of the gaussian init; SVD inits use
 * s = 1 (their factors already carry the singular values), so alpha does not apply to them.
 *
 * @param targetModules Hugging Face module-name suffixes ("query", "value", "dense"); a module matches when
 *     its path equals an entry or ends with "." + entry (PEFT's rule). The classifier is never a target.
 */
public record LoraConfig(int r, double alpha, List<String> targetModules, LoraInit init) {

    /** The image architectures' default: all attention and MLP linears of a ViT. */
    public static final List<String> DEFAULT_TARGETS = ImageArchitecture.DEFAULT_LORA_TARGETS;
    public static final int DEFAULT_R = 8;
    public static final double DEFAULT_ALPHA = 16;

    public LoraConfig {
        if (r < 1) {
            throw new InvalidSettingException("method.lora.r", "lora.r must be at least 1, found " + r);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new InvalidSettingException("method.lora.alpha", "lora.alpha must be positive, found " + alpha);
        }
        if (targetModules == null || targetModules.isEmpty()) {
            throw new InvalidSettingException("method.lora.target_modules",
                    "lora.target_modules must name at least one module");
        }
        for (String target : targetModules) {
            if (target == null || target.isBlank()) {
                throw new InvalidSettingException("method.lora.target_modules",
                        "lora.target_modules entries must be non-empty");
            }
        }
        targetModules = List.copyOf(targetModules);
        if (init == null) {
            throw new InvalidSettingException("method.lora.init", "lora.init is required");
        }
    }

    public static LoraConfig defaults(LoraInit init) {
        return defaults(init, DEFAULT_TARGETS);
    }

    /** r 8, alpha 16 on {@code targets} (a model architecture's default targets). */
    public static LoraConfig defaults(LoraInit init, List<String> targets) {
        return new LoraConfig(DEFAULT_R, DEFAULT_ALPHA, targets, init);
    }

    /** The scale s applied to (x A^T) B^T. */
    public double scale() {
        return init.isSvd() ? 1.0 : alpha / r;
    }

    /** Whether a module path is targeted (PEFT's suffix rule). */
    public boolean targets(String modulePath) {
        for (String target : targetModules) {
            if (modulePath.equals(target) || modulePath.endsWith("." + target)) {
                return true;
            }
        }
        return false;
    }
}
