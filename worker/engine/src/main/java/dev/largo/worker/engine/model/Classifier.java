package dev.largo.worker.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.optim.TrainableTensor;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A classifier as a set of named tensors and linear modules, whatever its input: what LoRA injection, the
 * optimizers, checkpoints and the exporters work on. {@link ImageClassifier} adds a forward pass over pixels,
 * {@link TextClassifier} one over token ids. Forward passes should run inside a {@link ForwardScope} so every
 * intermediate lands on a short-lived manager.
 */
public interface Classifier extends AutoCloseable {

    ModelConfig config();

    /** The manager owning every tensor of the model. */
    NDManager manager();

    /** Linear modules by Hugging Face module path (e.g. {@code vit.encoder.layer.0.attention.attention.query}), in model order; includes {@code classifier}. */
    Map<String, LinearOp> linears();

    /**
     * The tensors with no pretrained values: the task head ({@code classifier.weight}, {@code classifier.bias})
     * and any other module the checkpoint lacked and that was newly initialised (a BERT pooler). Every method
     * trains them, none regulates them, and an adapter saves them whole.
     */
    default List<String> headTensors() {
        return List.of("classifier.weight", "classifier.bias");
    }

    /**
     * The adapter's {@code modules_to_save} entries besides the head: modules the checkpoint lacked and that train
     * whole (a text encoder's new pooler). None by default.
     */
    default List<String> savedModules() {
        return List.of();
    }

    /** Replaces the linear module at {@code path} (a LoRA wrapper for instance). */
    void setLinear(String path, LinearOp op);

    /**
     * Every tensor the forward pass reads, by name: Hugging Face names for base tensors (for a LoRA module,
     * {@code <path>.weight} is W_res) and {@code <path>.lora_A} / {@code <path>.lora_B} for adapters.
     */
    Map<String, NDArray> tensors();

    /** Marks exactly these tensors (names from {@link #tensors()}) as trainable; all others are frozen. */
    void setTrainable(Collection<String> names);

    /** The trainable tensors, in {@link #tensors()} order. */
    List<TrainableTensor> trainable();

    /**
     * A new task head (seeded init) for these labels, replacing the current one. Hugging Face's init:
     * weight ~ N(0, 0.02), bias 0.
     */
    void replaceHead(List<String> labels, long seed);

    /**
     * Installs a given task head (arrays move to the model's manager).
     *
     * @param weight [labels, features]
     * @param bias [labels]
     */
    void replaceHead(List<String> labels, NDArray weight, NDArray bias);

    /**
     * The model as plain Hugging Face tensors (adapters merged: W_res + s B A), as new arrays on
     * {@code manager}, in canonical order; what {@code model.safetensors} of the merged model holds.
     */
    Map<String, NDArray> mergedWeights(NDManager manager);

    /** Releases every tensor of the model. */
    @Override
    void close();
}
