package dev.largo.worker.engine.model;

import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.SafeTensorsFile;
import dev.largo.worker.engine.io.SafeTensorsFormatException;
import dev.largo.worker.engine.io.SafeTensorsHeader;
import dev.largo.worker.engine.io.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks an uploaded base model without loading its weights: the config must describe a supported
 * architecture, and the safetensors header must hold exactly the tensors the config implies, each floating
 * point and of the right shape. Reads only the file's header.
 */
public final class ModelInspector {

    private ModelInspector() {
    }

    /**
     * @param configJson the text of config.json
     * @param safetensorsFile model.safetensors
     * @return what the model is
     * @throws InvalidModelException for any bad input: param {@code config} (config.json) or {@code weights}
     *     (model.safetensors), with the field or tensor as location
     * @throws IOException only when the file cannot be read at all (not a problem of its content)
     */
    public static ModelSummary inspect(String configJson, Path safetensorsFile) throws IOException {
        return inspect(configJson, safetensorsFile, SafeTensorsFile.MAX_HEADER_BYTES);
    }

    /** As {@link #inspect(String, Path)}, refusing a safetensors header longer than {@code maxHeaderBytes}. */
    public static ModelSummary inspect(String configJson, Path safetensorsFile, long maxHeaderBytes)
            throws IOException {
        ModelConfig config = ModelConfig.parse(configJson);
        SafeTensorsHeader header = readHeader(safetensorsFile, maxHeaderBytes);
        verifyHeader(config, header);
        return new ModelSummary(config.architecture(), config.numLabels(), config.imageSize(), config.parameterCount(),
                config.modelType(), config.numChannels(), config.labels());
    }

    /** Fails unless the config's architecture can build its model from weights with this header. */
    public static void verifyHeader(ModelConfig config, SafeTensorsHeader header) {
        ModelRegistry.of(config).verifyHeader(config, header);
    }

    /** Fails unless the header holds exactly the config's tensors, all floating point, with the right shapes. */
    static void verifyExactTensors(ModelConfig config, SafeTensorsHeader header) {
        Map<String, Shape> actual = new LinkedHashMap<>();
        for (TensorInfo info : header.tensors().values()) {
            if (!info.dtype().isFloatingPoint()) {
                throw new InvalidModelException("weights", info.name(), "tensor " + info.name() + " has dtype "
                        + info.dtype() + ", expected a floating-point type (F32, F16, BF16 or F64)");
            }
            actual.put(info.name(), new Shape(info.shape()));
        }
        WeightsCheck.verify(config.expectedTensors(), actual, config.architecture());
    }

    public static SafeTensorsHeader readHeader(Path safetensorsFile, long maxHeaderBytes) throws IOException {
        try {
            return SafeTensors.readHeader(safetensorsFile, maxHeaderBytes);
        } catch (SafeTensorsFormatException e) {
            throw new InvalidModelException("weights", e.tensorName(),
                    "model.safetensors is not a valid safetensors file: " + e.getMessage());
        }
    }
}
