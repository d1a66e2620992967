package dev.largo.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A refused setting fails the job as invalid_spec naming that setting, which the engine's exception carries. */
class JobSpecParserTest {

    private static final String SPLITS = "\"evaluation_splits\": [{\"dataset\": \"00000000-0000-0000-0000-000000000001\","
            + " \"kind\": \"id\"}]";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\": \"lora\", \"lora\": {\"r\": 0}}|{}|method.lora.r",
        "{\"type\": \"largo\", \"largo\": {\"kappa\": 2}}|{}|method.largo.kappa",
        "{\"type\": \"pissa\", \"lora\": {\"init\": \"gaussian\"}}|{}|method.lora.init",
        "{\"type\": \"full\", \"lora\": {\"r\": 8}}|{}|method.lora",
        "{\"type\": \"lora\"}|{\"batch_size\": 0}|hyperparameters.batch_size",
        "{\"type\": \"lora\"}|{\"warmup_ratio\": \"x\"}|hyperparameters.warmup_ratio",
        "{\"type\": \"nope\"}|{}|method"})
    void aSingleTaskSettingIsNamed(String method, String hyperparameters, String param) {
        String spec = "{\"method\": " + method + ", \"hyperparameters\": " + hyperparameters + ", " + SPLITS + "}";
        assertThatThrownBy(() -> JobSpecParser.parse(spec)).isInstanceOfSatisfying(InvalidJobException.class, e -> {
            assertThat(e.code()).isEqualTo(InvalidJobException.INVALID_SPEC);
            assertThat(e.param()).isEqualTo(param);
        });
    }

    @Test
    void aGorpSettingIsNamed() {
        String spec = "{\"method\": {\"type\": \"gorp\", \"gorp\": {\"energy_threshold\": 1.5}}, \"hyperparameters\": {},"
                + " \"tasks\": [{\"name\": \"a\", \"training_dataset\": \"00000000-0000-0000-0000-000000000002\", "
                + SPLITS + "}]}";
        assertThatThrownBy(() -> JobSpecParser.parseContinual(spec)).isInstanceOfSatisfying(InvalidJobException.class,
                e -> assertThat(e.param()).isEqualTo("method.gorp.energy_threshold"));
    }

    @Test
    void aValidSpecParses() {
        JobSpec spec = JobSpecParser.parse("{\"method\": {\"type\": \"largo\"}, \"hyperparameters\": {\"epochs\": 2}, "
                + SPLITS + "}");
        assertThat(spec.method().type().id()).isEqualTo("largo");
        assertThat(spec.hyperparameters().epochs()).isEqualTo(2);
        assertThat(spec.evaluationSplits()).hasSize(1);
    }
}
