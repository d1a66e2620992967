package dev.largo.worker.sentiment;

import dev.largo.worker.engine.data.InvalidDatasetException;
import dev.largo.worker.engine.data.JsonlTextReader;
import dev.largo.worker.engine.data.SplitMix64;
import dev.largo.worker.engine.data.TextDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sentiment-shift splits, cut once from the JSONL files with a fixed seed (the same rows for every run and
 * seed): training rows of amazon-train, validation rows of amazon-val (learning-rate choice only), test rows of
 * amazon-test (ID), yelp-test and sst2-test (OOD). Yelp and SST-2 ship test files only; the continual sequence
 * trains on rows of them disjoint from their test rows.
 *
 * @param tests by domain, ID first: amazon, yelp, sst2
 * @param continualTrain training rows per domain for the continual sequence amazon -> yelp -> sst2
 */
record SentimentData(TextDataset train, TextDataset validation, Map<String, TextDataset> tests,
                     Map<String, TextDataset> continualTrain) {

    static final String ID_DOMAIN = "amazon";
    static final List<String> DOMAINS = List.of("amazon", "yelp", "sst2");
    /** The seed of the row selection, independent of the runs' seeds. */
    private static final long SELECTION_SEED = 20261207L;

    static SentimentData load(Path directory, SentimentSettings settings) throws IOException, InvalidDatasetException {
        JsonlTextReader reader = new JsonlTextReader();
        TextDataset amazonTrain = shuffled(reader.read(require(directory, "amazon-train.jsonl")));
        TextDataset train = head(amazonTrain, 0, settings.trainRows());
        TextDataset validation = head(shuffled(reader.read(require(directory, "amazon-val.jsonl"))), 0,
                settings.evalRows());
        Map<String, TextDataset> tests = new LinkedHashMap<>();
        Map<String, TextDataset> continual = new LinkedHashMap<>();
        tests.put(ID_DOMAIN, head(shuffled(reader.read(require(directory, "amazon-test.jsonl"))), 0,
                settings.evalRows()));
        continual.put(ID_DOMAIN, head(amazonTrain, 0, settings.continualTrainRows()));
        for (String domain : DOMAINS.subList(1, DOMAINS.size())) {
            TextDataset all = shuffled(reader.read(require(directory, domain + "-test.jsonl")));
            // test rows first, continual training rows after them: disjoint
            tests.put(domain, head(all, 0, settings.evalRows()).onClasses(train.classNames()));
            continual.put(domain, head(all, settings.evalRows(), settings.continualTrainRows())
                    .onClasses(train.classNames()));
        }
        return new SentimentData(train, validation.onClasses(train.classNames()), tests, continual);
    }

    private static Path require(Path directory, String name) {
        Path file = directory.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("missing " + file + " (--data-dir names the folder of the sentiment"
                    + " JSONL files)");
        }
        return file;
    }

    /** The rows in a seeded order, so a prefix is a uniform sample. */
    private static TextDataset shuffled(TextDataset data) {
        int[] order = new int[data.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        new SplitMix64(SELECTION_SEED).shuffle(order);
        return rows(data, order);
    }

    /** {@code count} rows from {@code from} (fewer when the data ends first). */
    private static TextDataset head(TextDataset data, int from, int count) {
        int to = Math.min(data.count(), from + count);
        if (to <= from) {
            throw new IllegalArgumentException("not enough rows: " + data.count() + " rows, wanted " + from + " + "
                    + count);
        }
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = from + i;
        }
        return rows(data, rows);
    }

    private static TextDataset rows(TextDataset data, int[] rows) {
        List<String> texts = new ArrayList<>(rows.length);
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            texts.add(data.texts().get(rows[i]));
            labels[i] = data.labels()[rows[i]];
        }
        return new TextDataset(texts, labels, data.classNames());
    }
}
