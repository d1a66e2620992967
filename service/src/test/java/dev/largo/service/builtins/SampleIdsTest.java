package dev.largo.service.builtins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.worker.builtin.BuiltinDataset;

/** The sample datasets' ids are a promise the README's quick start makes: they must never change. */
class SampleIdsTest {

    private static final Map<String, String> DOCUMENTED = Map.of(
            "fashion-train", "1fcd0e1c-efcc-3d6f-bb83-887bb5c4cefd",
            "fashion-val", "978ee5b0-1e39-394d-9a04-2fc60f6ee119",
            "fashion-test-clean", "60666c56-6dd6-308a-9cc5-0546042e8e49",
            "fashion-test-rotate", "7afdc34b-5bac-3406-9e3f-8bb2a41dff5d",
            "fashion-test-invert", "218261cb-e159-3c4f-9d65-0cc78e13f32f",
            "fashion-test-noise", "1e252182-fa86-31b3-aadf-a1cfe52758d3",
            "fashion-test-blur", "fef7aeef-dd75-336b-88d9-68c05d71673e",
            "fashion-test-contrast", "4e0366c8-9f3b-33a7-ba22-b15c8d6b378d");

    @Test
    void everySampleHasItsDocumentedId() {
        assertThat(BuiltinAssets.datasets()).extracting(BuiltinDataset::name)
                .containsExactlyInAnyOrderElementsOf(DOCUMENTED.keySet());
        for (BuiltinDataset sample : BuiltinAssets.datasets()) {
            assertThat(BuiltinRegistration.sampleId(sample.name())).as(sample.name())
                    .hasToString(DOCUMENTED.get(sample.name()));
        }
    }
}
