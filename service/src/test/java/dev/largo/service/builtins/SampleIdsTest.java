package dev.largo.service.builtins;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.worker.builtin.ShippedDataset;

/** The sample datasets' ids are a promise the README's quick starts make: they must never change. */
class SampleIdsTest {

    private static final Map<String, String> DOCUMENTED = Map.ofEntries(
            entry("fashion-train", "1fcd0e1c-efcc-3d6f-bb83-887bb5c4cefd"),
            entry("fashion-val", "978ee5b0-1e39-394d-9a04-2fc60f6ee119"),
            entry("fashion-test-clean", "60666c56-6dd6-308a-9cc5-0546042e8e49"),
            entry("fashion-test-rotate", "7afdc34b-5bac-3406-9e3f-8bb2a41dff5d"),
            entry("fashion-test-invert", "218261cb-e159-3c4f-9d65-0cc78e13f32f"),
            entry("fashion-test-noise", "1e252182-fa86-31b3-aadf-a1cfe52758d3"),
            entry("fashion-test-blur", "fef7aeef-dd75-336b-88d9-68c05d71673e"),
            entry("fashion-test-contrast", "4e0366c8-9f3b-33a7-ba22-b15c8d6b378d"),
            entry("amazon-train", "4f43af4f-c40c-31c7-b6e1-c8a0b6fedc8f"),
            entry("amazon-val", "edaa0b1c-00fd-3d0f-b412-da5d9962023f"),
            entry("amazon-test", "05b84bd8-97b6-3b4d-b5e6-1785bda7b220"),
            entry("yelp-test", "7ada424f-3ca9-3e11-8f66-9d062774a011"),
            entry("sst2-test", "6c3d88fe-c956-3d43-b702-5a79ba80a692"));

    @Test
    void everySampleHasItsDocumentedId() {
        assertThat(BuiltinAssets.allDatasets()).extracting(ShippedDataset::name)
                .containsExactlyInAnyOrderElementsOf(DOCUMENTED.keySet());
        for (ShippedDataset sample : BuiltinAssets.allDatasets()) {
            assertThat(BuiltinRegistration.sampleId(sample.name())).as(sample.name())
                    .hasToString(DOCUMENTED.get(sample.name()));
        }
    }
}
