package dev.largo.worker.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.worker.engine.data.DatasetFormat;
import dev.largo.worker.engine.data.JsonlTextReader;
import dev.largo.worker.engine.data.TextDataset;
import dev.largo.worker.engine.eval.SplitKind;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sentiment-shift texts ship whole, unchanged (checksums), readable by the engine, with their attribution. */
class BuiltinTextDatasetsTest {

    @Test
    void everyTextDatasetReadsWithItsCataloguedRowsLabelsAndChecksum(@TempDir Path dir) throws Exception {
        assertThat(BuiltinAssets.textDatasets()).extracting(BuiltinTextDataset::name)
                .containsExactly("amazon-train", "amazon-val", "amazon-test", "yelp-test", "sst2-test");
        Map<String, String> sums;
        try (InputStream in = BuiltinAssets.open(BuiltinAssets.SENTIMENT_DIRECTORY + Sha256Sums.FILE_NAME)) {
            sums = Sha256Sums.read(in);
        }
        assertThat(sums.keySet()).containsExactlyInAnyOrderElementsOf(
                BuiltinAssets.textDatasets().stream().map(BuiltinTextDataset::fileName).toList());
        Set<String> allTexts = new HashSet<>();
        int total = 0;
        for (BuiltinTextDataset dataset : BuiltinAssets.textDatasets()) {
            try (InputStream in = dataset.open()) {
                assertThat(Sha256Sums.of(in)).as(dataset.name()).isEqualTo(dataset.sha256());
            }
            TextDataset data = new JsonlTextReader().read(dataset.copyTo(dir.resolve(dataset.fileName())));
            assertThat(data.texts()).as(dataset.name()).hasSize(dataset.count());
            assertThat(data.classNames()).as(dataset.name()).isEqualTo(dataset.classNames())
                    .containsExactly("negative", "positive");
            long positives = Arrays.stream(data.labels()).filter(label -> label == 1).count();
            assertThat(positives).as(dataset.name() + " is roughly balanced")
                    .isBetween(dataset.count() * 4L / 10, dataset.count() * 6L / 10);
            assertThat(dataset.format()).isEqualTo(DatasetFormat.JSONL);
            allTexts.addAll(data.texts());
            total += data.texts().size();
        }
        // amazon-train, -val and -test are disjoint samples: no review is in two splits
        assertThat(allTexts).hasSizeGreaterThan(total * 99 / 100);
    }

    @Test
    void amazonIsInDistributionAndTheOtherSourcesAreNot() {
        assertThat(BuiltinAssets.textDataset("amazon-train").orElseThrow().kind()).isEqualTo(SplitKind.ID);
        assertThat(BuiltinAssets.textDataset("amazon-val").orElseThrow().split()).isEqualTo(SampleSplit.VALIDATION);
        assertThat(SentimentShift.test("amazon").kind()).isEqualTo(SplitKind.ID);
        assertThat(SentimentShift.test("yelp").kind()).isEqualTo(SplitKind.OOD);
        assertThat(SentimentShift.test("sst2").domainId()).isEqualTo("sst2");
        assertThat(SentimentShift.OOD_TESTS).allMatch(name -> BuiltinAssets.textDataset(name).isPresent());
        assertThat(BuiltinAssets.allDatasets()).hasSize(BuiltinAssets.datasets().size() + 5);
        assertThat(BuiltinAssets.textDataset("fashion-train")).isEmpty();
    }

    @Test
    void theTextsCarryTheirSourcesAndCitations() throws Exception {
        assertThat(BuiltinAssets.sentimentLicenseText()).contains("github.com/Wcxwcxw/GORP", "McAuley", "Leskovec",
                "Zhang", "Yelp", "Socher", "Sentiment Treebank", "Cite the original authors");
    }
}
