package dev.largo.worker.engine.train;

import dev.largo.worker.engine.support.InvalidSettingException;
import dev.largo.worker.engine.method.largo.LargoConfig;
import dev.largo.worker.engine.method.lora.LoraConfig;
import dev.largo.worker.engine.method.lora.LoraInit;

/**
 * A method with its settings resolved.
 *
 * @param lora the adapter settings for LoRA methods (null otherwise)
 * @param largo the regulated projection's settings for largo and ftp (null otherwise)
 */
public record MethodConfig(MethodType type, LoraConfig lora, LargoConfig largo) {

    public MethodConfig {
        if (type == null) {
            throw new InvalidSettingException("method.type", "method.type is required");
        }
        if (type.usesLora() && lora == null) {
            throw new InvalidSettingException("method.lora", "method " + type.id() + " needs lora settings");
        }
        if (type.projected() && largo == null) {
            largo = LargoConfig.DEFAULT;
        }
        if (!type.projected()) {
            largo = null;
        }
        if (!type.usesLora()) {
            lora = null;
        } else if (!type.initConfigurable() && lora.init() != type.defaultInit()) {
            throw new InvalidSettingException("method.lora.init", "method " + type.id() + " uses lora.init \""
                    + type.defaultInit().id() + "\"; found \"" + lora.init().id() + "\" (only largo takes another init)");
        }
    }

    /** The method with the defaults its registration declares (worker/engine/docs/largo.md §3). */
    public static MethodConfig defaults(MethodType type) {
        return new MethodConfig(type, type.method().traits().lora(), type.method().traits().largo());
    }

    /** As {@link #defaults(MethodType)}, with the model architecture's default LoRA targets. */
    public static MethodConfig defaults(MethodType type, java.util.List<String> loraTargets) {
        LoraConfig lora = type.method().traits().lora();
        return new MethodConfig(type, lora == null ? null : new LoraConfig(lora.r(), lora.alpha(), loraTargets, lora.init()),
                type.method().traits().largo());
    }

    public LoraInit init() {
        return lora == null ? null : lora.init();
    }
}
