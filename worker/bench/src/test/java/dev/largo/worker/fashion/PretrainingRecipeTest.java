package dev.largo.worker.fashion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.worker.engine.model.ModelConfig;
import org.junit.jupiter.api.Test;

class PretrainingRecipeTest {

    /** The shipped base model is what the recipe builds: rebuilding it (fashion-shift pretrain) changes nothing. */
    @Test
    void theBuiltinModelsConfigIsTheRecipes() throws Exception {
        ModelConfig shipped = ModelConfig.parse(BuiltinAssets.baseModel().configJson());
        assertThat(shipped.toJson()).isEqualTo(PretrainingRecipe.config().toJson());
    }
}
