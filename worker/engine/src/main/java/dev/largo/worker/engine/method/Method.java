package dev.largo.worker.engine.method;

import dev.largo.worker.engine.method.gorp.GorpConfig;
import dev.largo.worker.engine.method.largo.LargoConfig;
import dev.largo.worker.engine.method.lora.LoraConfig;
import dev.largo.worker.engine.method.lora.LoraInit;
import java.util.List;
import java.util.Objects;

/**
 * One fine-tuning method, PEFT-style: a package of its own under {@code engine.method} declares what kind of job
 * takes it, which settings blocks apply and their defaults, its learning rate and the rates the benchmark sweeps,
 * and what it trains; {@link MethodRegistry} lists them once. The service completes job specs from these answers,
 * serves them to the dashboard ({@code GET /v1/methods}) and the benchmark grids iterate them, so a method's
 * defaults are written in one place (worker/engine/docs/largo.md §3, worker/engine/docs/gorp.md).
 */
public interface Method {

    /** AdamW's rate for adapters and the head (worker/engine/docs/largo.md §3). */
    double ADAPTER_LEARNING_RATE = 1e-3;
    /** AdamW's rate when every pretrained weight trains. */
    double FULL_LEARNING_RATE = 1e-4;
    /** The benchmark's sweep around {@link #ADAPTER_LEARNING_RATE}: a factor of about 3 either side. */
    List<Double> ADAPTER_GRID = List.of(3e-4, 1e-3, 3e-3);
    /** The benchmark's sweep around {@link #FULL_LEARNING_RATE}. */
    List<Double> FULL_GRID = List.of(3e-5, 1e-4, 3e-4);

    /** What the method is, as data: every answer below reads it. */
    Traits traits();

    /** The contract's {@code method.type}. */
    default String id() {
        return traits().id();
    }

    /** AdamW's default rate for the method: lower when the base model's own weights train. */
    default double defaultLearningRate() {
        return traits().learningRate();
    }

    /**
     * The learning rates the benchmarks sweep for the method on the first task's ID validation split; empty for a
     * method that is not swept (joint takes lora's rate: it trains the same adapter).
     */
    default List<Double> learningRateGrid() {
        return traits().learningRateGrid();
    }

    /** A method's traits, built one declaration at a time: {@code Method.define("lora", "LoRA")...build()}. */
    static Builder define(String id, String label) {
        return new Builder(id, label);
    }

    /**
     * @param id the contract's {@code method.type}
     * @param label its name for people ("LoRA")
     * @param description one sentence on what it trains, for the dashboard
     * @param singleTask whether a job with one training dataset takes it
     * @param continual whether a job with {@code tasks} takes it
     * @param lora the {@code method.lora} block it takes, with its defaults (the init it prescribes); null when it
     *     takes none
     * @param initConfigurable whether {@code method.lora.init} may differ from {@code lora}'s
     * @param largo the {@code method.largo} block (the regulated projection that wraps its optimizer) with its
     *     defaults; null when it does not project
     * @param gorp the {@code method.gorp} block with its defaults; null when it takes none
     * @param trainsBaseWeights whether the base model's own weights train
     * @param learningRate AdamW's default peak rate
     * @param learningRateGrid the rates the benchmarks sweep (see {@link Method#learningRateGrid()})
     */
    record Traits(String id, String label, String description, boolean singleTask, boolean continual,
                  LoraConfig lora, boolean initConfigurable, LargoConfig largo, GorpConfig gorp,
                  boolean trainsBaseWeights, double learningRate, List<Double> learningRateGrid) {

        public Traits {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(description, "description");
            learningRateGrid = List.copyOf(learningRateGrid);
            if (!singleTask && !continual) {
                throw new IllegalArgumentException(id + ": a method is for single-task or continual jobs or both");
            }
            if (initConfigurable && lora == null) {
                throw new IllegalArgumentException(id + ": only a method with a LoRA block can let its init be chosen");
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException(id + ": its learning rate must be positive");
            }
        }

        /** The init the method prescribes (or starts from, when {@link #initConfigurable}); null without LoRA. */
        public LoraInit loraInit() {
            return lora == null ? null : lora.init();
        }

        /** Whether the regulated projection ({@code method.largo}) wraps its optimizer. */
        public boolean projected() {
            return largo != null;
        }
    }

    /** Collects a method's declarations; what is not declared is off (no block, not continual...). */
    final class Builder {
        private final String id;
        private final String label;
        private String description = "";
        private boolean singleTask;
        private boolean continual;
        private LoraConfig lora;
        private boolean initConfigurable;
        private LargoConfig largo;
        private GorpConfig gorp;
        private boolean trainsBaseWeights;
        private double learningRate;
        private List<Double> learningRateGrid = List.of();

        private Builder(String id, String label) {
            this.id = id;
            this.label = label;
        }

        public Builder describedAs(String sentence) {
            this.description = sentence;
            return this;
        }

        /** A job with one training dataset takes it. */
        public Builder singleTask() {
            this.singleTask = true;
            return this;
        }

        /** A job with {@code tasks} takes it. */
        public Builder continual() {
            this.continual = true;
            return this;
        }

        /** It takes {@code method.lora}, with LoRA's defaults and this init, which jobs cannot change. */
        public Builder lora(LoraInit init) {
            this.lora = LoraConfig.defaults(init);
            return this;
        }

        /** It takes {@code method.lora}, starting from {@code init} unless the job chooses another. */
        public Builder loraStartingFrom(LoraInit init) {
            lora(init);
            this.initConfigurable = true;
            return this;
        }

        /** The regulated projection wraps its optimizer ({@code method.largo}, defaults {@link LargoConfig#DEFAULT}). */
        public Builder projected() {
            this.largo = LargoConfig.DEFAULT;
            return this;
        }

        /** It takes {@code method.gorp}, defaults {@link GorpConfig#DEFAULT}. */
        public Builder gorp() {
            this.gorp = GorpConfig.DEFAULT;
            return this;
        }

        /** The base model's own weights train. */
        public Builder trainsBaseWeights() {
            this.trainsBaseWeights = true;
            return this;
        }

        /** Its default rate and the rates the benchmarks sweep (an empty grid: not swept). */
        public Builder learningRate(double rate, List<Double> grid) {
            this.learningRate = rate;
            this.learningRateGrid = grid;
            return this;
        }

        public Traits build() {
            return new Traits(id, label, description, singleTask, continual, lora, initConfigurable, largo, gorp,
                    trainsBaseWeights, learningRate, learningRateGrid);
        }
    }
}
