package dev.largo.worker.fashion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.worker.builtin.BuiltinDataset;
import dev.largo.worker.builtin.FashionShift;
import dev.largo.worker.builtin.Sha256Sums;
import dev.largo.worker.engine.data.FashionMnist;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleDatasetBuilderTest {

    @Test
    void balancedSubsetTakesTheSameCountOfEachClassInSeededOrder() {
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7) % 5;
        }
        int[] picked = SampleDatasetBuilder.balancedSubset(labels, 5, 30, 9);
        assertThat(picked).hasSize(150).doesNotHaveDuplicates();
        int[] perClass = new int[5];
        for (int index : picked) {
            perClass[labels[index]]++;
        }
        assertThat(perClass).containsOnly(30);
        assertThat(picked).isEqualTo(SampleDatasetBuilder.balancedSubset(labels, 5, 30, 9));
        assertThat(picked).isNotEqualTo(SampleDatasetBuilder.balancedSubset(labels, 5, 30, 10));
        int[] sorted = picked.clone();
        Arrays.sort(sorted);
        assertThat(picked).isNotEqualTo(sorted);
    }

    /** The shipped sample files are exactly what the builder makes from the Debian package's IDX files. */
    @Test
    void rebuildingFromTheIdxFilesReproducesTheShippedSamplesByteForByte(@TempDir Path out) throws Exception {
        assumeThat(FashionMnistFiles.missing(FashionMnist.DEFAULT_DIRECTORY))
                .as("Fashion-MNIST IDX files (apt-get install dataset-fashion-mnist)").isEmpty();
        SampleDatasetBuilder.build(FashionShift.load(FashionMnist.DEFAULT_DIRECTORY), out);
        Map<String, String> shipped;
        try (InputStream in = BuiltinAssets.open(BuiltinAssets.SAMPLES_DIRECTORY + Sha256Sums.FILE_NAME)) {
            shipped = Sha256Sums.read(in);
        }
        assertThat(shipped).hasSize(BuiltinAssets.datasets().size());
        for (BuiltinDataset dataset : BuiltinAssets.datasets()) {
            assertThat(Sha256Sums.of(out.resolve(dataset.fileName()))).as(dataset.name()).isEqualTo(dataset.sha256());
        }
    }
}
