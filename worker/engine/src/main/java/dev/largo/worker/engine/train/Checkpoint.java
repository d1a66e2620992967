package dev.largo.worker.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.data.Batches;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.SafeTensorsFile;
import dev.largo.worker.engine.io.TensorInfo;
import dev.largo.worker.engine.method.lora.LoraLinear;
import dev.largo.worker.engine.support.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A resumable training state in one safetensors file:
 * <ul>
 *   <li>{@code param.<name>}: every tensor the method trains (adapters, head, or all weights);</li>
 *   <li>{@code lora_init.<module>.A0|B0}: the SVD factors of SVD inits, from which W_res is rebuilt exactly
 *       (a resumed run does not recompute the randomized SVD);</li>
 *   <li>{@code optim.<key>}: the optimizer state of the current phase (AdamW moments, LARGO state);</li>
 *   <li>{@code state.<key>}: caller tensors kept with the run (a continual method's frozen adapters and shared
 *       gradient spaces), stored in their own type;</li>
 *   <li>metadata {@code largo_checkpoint}: JSON with step, epochs done, phase, the batch order's RNG cursor,
 *       the run's config hash, labels and caller extras.</li>
 * </ul>
 */
public final class Checkpoint {

    public static final String FORMAT = "largo-checkpoint/1";
    static final String META_KEY = "largo_checkpoint";
    static final String PARAM = "param.";
    static final String LORA_INIT = "lora_init.";
    static final String OPTIM = "optim.";
    static final String STATE = "state.";

    /** A checkpoint read back. Arrays live on the manager given to {@link #read}. */
    public record Data(String configHash, String method, long step, int epochsDone, String phase,
                       Batches.Cursor cursor, List<String> labels, Map<String, String> extra,
                       Map<String, NDArray> params, Map<String, NDArray[]> loraInit, Map<String, NDArray> optimizer,
                       Map<String, NDArray> state) {

        TrainerState trainerState() {
            return new TrainerState(step, epochsDone, phase, cursor, optimizer);
        }
    }

    private Checkpoint() {
    }

    /**
     * Writes the trainer's state.
     *
     * @param configHash identifies the run's configuration; {@link #verify} refuses a checkpoint of another
     * @param extra caller data kept with the checkpoint (e.g. the base reference's results)
     */
    public static void write(Trainer trainer, Path file, String configHash, Map<String, String> extra)
            throws IOException {
        write(trainer, file, configHash, extra, Map.of());
    }

    /**
     * As {@link #write(Trainer, Path, String, Map)}, with caller tensors stored under {@code state.<key>} and
     * returned by {@link Data#state()}.
     */
    public static void write(Trainer trainer, Path file, String configHash, Map<String, String> extra,
                             Map<String, NDArray> extraTensors) throws IOException {
        TrainerState state = trainer.state();
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        Map<String, NDArray> modelTensors = trainer.model().tensors();
        for (String name : trainer.method().trainable()) {
            tensors.put(PARAM + name, modelTensors.get(name));
        }
        for (Map.Entry<String, LoraLinear> entry : trainer.method().loraLayers().entrySet()) {
            if (entry.getValue().initialA() != null) {
                tensors.put(LORA_INIT + entry.getKey() + ".A0", entry.getValue().initialA());
                tensors.put(LORA_INIT + entry.getKey() + ".B0", entry.getValue().initialB());
            }
        }
        state.optimizer().forEach((key, array) -> tensors.put(OPTIM + key, array));
        extraTensors.forEach((key, array) -> tensors.put(STATE + key, array));

        ObjectNode meta = Json.MAPPER.createObjectNode();
        meta.put("format", FORMAT);
        meta.put("config_hash", configHash);
        meta.put("method", trainer.methodConfig().type().id());
        meta.put("step", state.step());
        meta.put("epochs_done", state.epochsDone());
        meta.put("phase", state.phase());
        ObjectNode cursor = meta.putObject("cursor");
        cursor.put("epoch_start_state", state.cursor().epochStartState());
        cursor.put("epoch", state.cursor().epoch());
        cursor.put("batch_in_epoch", state.cursor().batchInEpoch());
        var labels = meta.putArray("labels");
        trainer.model().config().labels().forEach(labels::add);
        ObjectNode extras = meta.putObject("extra");
        extra.forEach(extras::put);
        SafeTensors.writeNDArrays(file, tensors, Map.of(META_KEY, Json.MAPPER.writeValueAsString(meta)));
    }

    /** Reads a checkpoint; its arrays live on {@code manager}. */
    public static Data read(Path file, NDManager manager) throws IOException {
        String metaJson = SafeTensors.readHeader(file).metadata().get(META_KEY);
        if (metaJson == null) {
            throw new IllegalArgumentException(file + " is not a training checkpoint (no " + META_KEY + " metadata)");
        }
        JsonNode meta = Json.MAPPER.readTree(metaJson);
        if (!FORMAT.equals(meta.path("format").asString())) {
            throw new IllegalArgumentException(file + " has checkpoint format " + meta.path("format") + ", expected " + FORMAT);
        }
        Map<String, NDArray> params = new LinkedHashMap<>();
        Map<String, NDArray[]> loraInit = new LinkedHashMap<>();
        Map<String, NDArray> optimizer = new LinkedHashMap<>();
        Map<String, NDArray> state = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> entry : loadExactly(file, manager).entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(PARAM)) {
                params.put(key.substring(PARAM.length()), entry.getValue());
            } else if (key.startsWith(LORA_INIT)) {
                String rest = key.substring(LORA_INIT.length());
                String module = rest.substring(0, rest.length() - 3);
                int index = rest.endsWith(".A0") ? 0 : 1;
                loraInit.computeIfAbsent(module, m -> new NDArray[2])[index] = entry.getValue();
            } else if (key.startsWith(OPTIM)) {
                optimizer.put(key.substring(OPTIM.length()), entry.getValue());
            } else if (key.startsWith(STATE)) {
                state.put(key.substring(STATE.length()), entry.getValue());
            } else {
                throw new IllegalArgumentException("unexpected checkpoint tensor " + key);
            }
        }
        JsonNode cursor = meta.get("cursor");
        List<String> labels = new ArrayList<>();
        meta.get("labels").forEach(label -> labels.add(label.asString()));
        Map<String, String> extra = new LinkedHashMap<>();
        for (String name : meta.get("extra").propertyNames()) {
            extra.put(name, meta.get("extra").get(name).asString());
        }
        JsonNode phase = meta.get("phase");
        return new Data(meta.get("config_hash").asString(), meta.get("method").asString(), meta.get("step").asLong(),
                meta.get("epochs_done").asInt(), phase == null || phase.isNull() ? null : phase.asString(),
                new Batches.Cursor(cursor.get("epoch_start_state").asLong(), cursor.get("epoch").asInt(),
                        cursor.get("batch_in_epoch").asInt()),
                labels, extra, params, loraInit, optimizer, state);
    }

    /**
     * Every tensor in its stored type: float64 state (the projection's gamma and its Adam moments) must come
     * back as float64 for a resumed run to match the uninterrupted one bit for bit.
     */
    private static Map<String, NDArray> loadExactly(Path file, NDManager manager) throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (SafeTensorsFile in = SafeTensors.open(file)) {
            for (TensorInfo info : in.header().tensors().values()) {
                Shape shape = new Shape(info.shape());
                NDArray array = switch (info.dtype()) {
                    case F64 -> {
                        double[] values = new double[Math.toIntExact(info.elementCount())];
                        ByteBuffer.wrap(in.readBytes(info.name())).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer()
                                .get(values);
                        yield manager.create(values, shape);
                    }
                    case I64, I32, I16, I8, U8 -> manager.create(in.readLongs(info.name()), shape);
                    default -> manager.create(in.readFloats(info.name()), shape);
                };
                tensors.put(info.name(), array);
            }
        }
        return tensors;
    }

    /** Fails unless the checkpoint was written by a run of this configuration. */
    public static void verify(Data data, String configHash) {
        if (!data.configHash().equals(configHash)) {
            throw new IllegalStateException("the checkpoint belongs to another run configuration (hash "
                    + data.configHash() + ", this run " + configHash + ")");
        }
    }

    /**
     * Puts a checkpoint's state into a trainer built for the same configuration (adapters in place, see
     * {@link PreparedMethod#prepare(dev.largo.worker.engine.model.Classifier, MethodConfig, long, Data)}):
     * copies the trained tensors' values, then restores counters, batch order and optimizer state.
     */
    public static void restore(Trainer trainer, Data data, String configHash) {
        verify(data, configHash);
        restoreParams(trainer.model(), data, trainer.method().trainable());
        trainer.restore(data.trainerState());
    }

    /**
     * Copies a checkpoint's trained tensors into {@code model}; they must be exactly {@code trainable} (a run
     * that carries a model from one training to the next, as a continual job does, restores its model this way
     * before it builds the next trainer).
     */
    public static void restoreParams(dev.largo.worker.engine.model.Classifier model, Data data,
                                     java.util.Collection<String> trainable) {
        Map<String, NDArray> modelTensors = model.tensors();
        if (!data.params().keySet().equals(new java.util.LinkedHashSet<>(trainable))) {
            throw new IllegalStateException("checkpoint holds tensors " + data.params().keySet()
                    + " but the method trains " + trainable);
        }
        data.params().forEach((name, saved) -> {
            NDArray target = modelTensors.get(name);
            if (!target.getShape().equals(saved.getShape())) {
                throw new IllegalStateException("checkpoint tensor " + name + " has shape " + saved.getShape()
                        + ", the model " + target.getShape());
            }
            target.set(saved.toType(target.getDataType(), false).toByteBuffer());
        });
    }
}
