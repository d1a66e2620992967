package dev.largo.worker.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.largo.worker.engine.model.mlp.MlpConfig;
import dev.largo.worker.engine.model.vit.VitConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {

    @Test
    void eachModelTypeParsesThroughItsOwnArchitecture() {
        assertThat(ModelRegistry.all()).extracting(Architecture::modelType).containsExactly("vit", "largo_mlp", "bert",
                "distilbert");
        ModelConfig vit = ModelConfig.parse("{\"model_type\":\"vit\",\"image_size\":8,\"patch_size\":4,"
                + "\"hidden_size\":8,\"num_attention_heads\":2,\"num_hidden_layers\":1,\"intermediate_size\":16,"
                + "\"num_channels\":1,\"id2label\":{\"0\":\"a\",\"1\":\"b\"}}");
        ModelConfig mlp = ModelConfig.parse("{\"model_type\":\"largo_mlp\",\"image_size\":4,\"num_channels\":1,"
                + "\"hidden_sizes\":[3],\"id2label\":{\"0\":\"a\",\"1\":\"b\"}}");
        assertThat(vit).isInstanceOf(VitConfig.class);
        assertThat(mlp).isInstanceOf(MlpConfig.class);
        assertThat(ModelRegistry.of(vit).modelType()).isEqualTo("vit");
        assertThat(ModelRegistry.of(mlp).modelType()).isEqualTo("largo_mlp");
        assertThat(List.of(vit.labels(), mlp.labels())).containsOnly(List.of("a", "b"));
    }

    @Test
    void anUnknownModelTypeIsRefusedNamingTheSupportedOnes() {
        assertThatThrownBy(() -> ModelConfig.parse("{\"model_type\":\"gpt2\"}"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("model_type \"gpt2\" is not supported (supported: \"vit\", \"largo_mlp\","
                        + " \"bert\", \"distilbert\")");
        assertThatThrownBy(() -> ModelConfig.parse("{}"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("model_type is missing (supported: \"vit\", \"largo_mlp\", \"bert\",");
    }
}
