package dev.largo.worker.engine.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.largo.worker.engine.data.TextDataset;
import dev.largo.worker.engine.data.TextTokenizer;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.model.ModelInitializer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small random BERT saved as a sentence-transformers model folder would be (bare {@code BertModel} names, no
 * pooler, no classifier) with the real all-MiniLM-L6-v2 {@code tokenizer.json} (so vocab 30522; width 8, 2 layers,
 * 2 heads), and a synthetic two-class sentiment task whose label its words carry.
 */
public final class TinyTextModel {

    public static final List<String> LABELS = List.of("negative", "positive");
    private static final String[] POSITIVE = {"good", "great", "excellent", "wonderful", "lovely"};
    private static final String[] NEGATIVE = {"bad", "awful", "terrible", "poor", "horrible"};
    private static final String[] FILLER = {"the", "food", "service", "was", "really", "and", "room", "staff",
            "movie", "book", "quite", "very", "today", "place", "our"};

    private TinyTextModel() {
    }

    /** Writes config.json, model.safetensors and tokenizer.json into {@code dir}; returns it. */
    public static Path folder(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(BertModels.CONFIG), """
                {"model_type":"bert","architectures":["BertModel"],"vocab_size":30522,"hidden_size":8,
                 "num_hidden_layers":2,"num_attention_heads":2,"intermediate_size":16,"max_position_embeddings":64,
                 "type_vocab_size":2,"pad_token_id":0,"hidden_act":"gelu","initializer_range":0.2}""");
        try (InputStream in = AllMiniLmL6V2.open(AllMiniLmL6V2.TOKENIZER_RESOURCE)) {
            Files.copy(in, dir.resolve(BertModels.TOKENIZER));
        }
        EncoderConfig config = BertModels.config(dir);
        try (NDManager manager = NDManager.newBaseManager();
             TextTokenizer tokenizer = BertModels.tokenizer(dir, config, 8)) {
            Map<String, NDArray> bare = new LinkedHashMap<>();
            ModelInitializer.randomTensors(config, seed, DataType.FLOAT32, manager).forEach((name, array) -> {
                if (name.startsWith(BertConfig.PREFIX) && !name.startsWith("bert.pooler")) {
                    bare.put(name.substring(BertConfig.PREFIX.length()), name.contains("LayerNorm") ? array : array.mul(10));
                }
            });
            // "pretrained" sentiment: the words of each class lie along +e0 / -e0, so the features carry the label
            float[] words = bare.get("embeddings.word_embeddings.weight").toFloatArray();
            int width = config.hiddenSize();
            for (String[] group : new String[][] {POSITIVE, NEGATIVE}) {
                long[][] ids = tokenizer.encode(List.of(group)).ids();
                for (long[] row : ids) {
                    words[(int) row[1] * width] += group == POSITIVE ? 2f : -2f;
                }
            }
            bare.put("embeddings.word_embeddings.weight", manager.create(words,
                    bare.get("embeddings.word_embeddings.weight").getShape()));
            SafeTensors.writeNDArrays(dir.resolve(BertModels.WEIGHTS), bare, Map.of());
        }
        return dir;
    }

    /**
     * {@code rows} texts of 3 to 8 words, most of them sentiment words of the row's class, the rest neutral
     * (balanced classes, seeded).
     */
    public static TextDataset sentiment(int rows, long seed) {
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>();
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = i % 2;
            String[] words = labels[i] == 1 ? POSITIVE : NEGATIVE;
            int length = 3 + random.nextInt(6);
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < length; w++) {
                boolean sentiment = w == 0 || random.nextDouble() < 0.6;
                text.append(w == 0 ? "" : " ").append(sentiment ? words[random.nextInt(words.length)]
                        : FILLER[random.nextInt(FILLER.length)]);
            }
            texts.add(text.toString());
        }
        return new TextDataset(texts, labels, LABELS);
    }
}
