package dev.largo.worker.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line's parsing (picocli): commands, help, and usage errors that name what is wrong. */
class LargoCliTest {

    @Test
    void helpListsTheCommandsAndTheirOptions() {
        Result top = run("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("train", "bench", "compare");
        Result train = run("train", "--help");
        assertThat(train.code()).isZero();
        assertThat(train.out()).contains("--config=JOB.json", "--out=DIR", "--resume=CHECKPOINT");
    }

    @Test
    void usageErrorsExitWithTwoAndNameTheArgument() {
        Result missing = run("train", "--config", "job.json");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--out=DIR'").contains("Usage: largo train");

        Result unknown = run("bench", "--stepz", "3");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option").contains("'--stepz'");

        Result malformed = run("bench", "--steps", "many");
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("--steps").contains("many");

        Result refused = run("compare", "--methods", "gorp");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("error: the reference has no method gorp");

        Result none = run();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("Usage: largo");
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream systemOut = System.out;
        PrintStream systemErr = System.err;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            int code = LargoCli.execute(o, args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(systemOut);
            System.setErr(systemErr);
        }
    }
}
