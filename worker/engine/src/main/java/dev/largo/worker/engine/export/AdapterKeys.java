package dev.largo.worker.engine.export;

/** Key and file names of the PEFT LoRA adapter format (worker/engine/docs/largo.md §4). */
final class AdapterKeys {

    static final String CONFIG_FILE = "adapter_config.json";
    static final String WEIGHTS_FILE = "adapter_model.safetensors";
    static final String README_FILE = "README.md";
    static final String PREFIX = "base_model.model.";
    static final String HEAD = "classifier";

    private AdapterKeys() {
    }

    static String loraA(String modulePath) {
        return PREFIX + modulePath + ".lora_A.weight";
    }

    static String loraB(String modulePath) {
        return PREFIX + modulePath + ".lora_B.weight";
    }

    static String saved(String tensorName) {
        return PREFIX + tensorName;
    }
}
