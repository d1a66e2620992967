package dev.largo.worker.engine.model.bert;

import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.model.WeightsCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the tensors of a BERT-family checkpoint map onto the sequence classifier, as transformers'
 * {@code from_pretrained} maps them: a {@code BertFor...} checkpoint names its encoder {@code bert.*}
 * ({@code distilbert.*}), a bare {@code BertModel} or sentence-transformers checkpoint has no prefix; pretraining
 * heads ({@code cls.*}, DistilBERT's {@code vocab_*}) and the {@code position_ids} buffer are dropped; a pooler or
 * classifier the checkpoint lacks is newly initialised.
 * Anything else that does not fit is refused, naming the tensor.
 *
 * @param modelNames checkpoint tensor name to the classifier's tensor name, for the tensors that are used
 * @param newModules module paths to initialise ({@code bert.pooler.dense}, {@code classifier})
 */
record BertCheckpoint(Map<String, String> modelNames, List<String> newModules) {

    /**
     * @param fileTensors the checkpoint's tensors by name with their shapes (from the safetensors header)
     * @throws dev.largo.worker.engine.model.InvalidModelException (param {@code weights}) naming every missing,
     *     unexpected or misshapen tensor (up to five)
     */
    static BertCheckpoint resolve(EncoderConfig config, Map<String, Shape> fileTensors) {
        EncoderFamily family = config.family();
        boolean prefixed = fileTensors.keySet().stream().anyMatch(name -> name.startsWith(family.prefix()));
        Map<String, String> modelNames = new LinkedHashMap<>();
        Map<String, Shape> actual = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> entry : fileTensors.entrySet()) {
            String name = entry.getKey();
            if (family.isDropped(name)) {
                continue;
            }
            String modelName = prefixed || family.isTopLevel(name) ? name : family.prefix() + name;
            modelNames.put(name, modelName);
            actual.put(modelName, entry.getValue());
        }
        List<String> newModules = new ArrayList<>();
        for (String module : List.of(family.pooler(), EncoderFamily.HEAD)) {
            if (!actual.containsKey(module + ".weight") && !actual.containsKey(module + ".bias")) {
                newModules.add(module);
            }
        }
        Map<String, Shape> expected = new LinkedHashMap<>(config.expectedTensors());
        for (String module : newModules) {
            expected.remove(module + ".weight");
            expected.remove(module + ".bias");
        }
        WeightsCheck.verify(expected, actual, config.architecture());
        return new BertCheckpoint(modelNames, newModules);
    }
}
