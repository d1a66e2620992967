package dev.largo.worker.fashion;

import dev.largo.worker.builtin.BuiltinModel;
import dev.largo.worker.builtin.FashionShift;
import dev.largo.worker.builtin.Sha256Sums;
import dev.largo.worker.engine.data.FashionMnist;
import dev.largo.worker.engine.data.styles.Style;
import dev.largo.worker.engine.train.StepProgress;
import dev.largo.worker.engine.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Builds the built-in base model with {@link PretrainingRecipe} and writes {@code config.json},
 * {@code model.safetensors} and {@code SHA256SUMS}:
 *
 * <pre>
 * java -cp ... dev.largo.worker.fashion.PretrainBaseModel \
 *     --out worker/builtins/src/main/resources/builtin/vit-tiny-fashion [--data /usr/share/datasets/fashion-mnist]
 *     [--threads 1]
 * </pre>
 *
 * <p>Bit-for-bit rebuilds need the same floating-point kernels. libtorch splits reductions by intra-op thread
 * count, so the recipe runs on {@link #RECIPE_THREADS} thread unless told otherwise; and it picks vector kernels
 * by CPU (AVX-512 where present, else AVX2), which sum in different orders, so a CPU of another vector class
 * gives a model of the same quality with other low-order bits. Pinning the kernels with
 * {@code ATEN_CPU_CAPABILITY=avx2} was tried and rejected: on that path libtorch 2.5.1 produced NaN gradients
 * at random steps (3 of 6 runs), so the recipe uses the CPU's own kernels.
 */
public final class PretrainBaseModel {

    /** The thread count the shipped model was built with. */
    public static final int RECIPE_THREADS = 1;

    private PretrainBaseModel() {
    }

    /** The command line as picocli reads it. */
    @Command(name = "fashion-shift pretrain", description = "rebuilds the built-in base model")
    static final class Arguments {
        @Option(names = "--out", paramLabel = "DIR", required = true, description = "where the model folder goes")
        Path out;
        @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST IDX files")
        Path data = FashionMnist.DEFAULT_DIRECTORY;
        @Option(names = "--threads", paramLabel = "N", converter = CommandLines.Positive.class,
                description = "libtorch threads (the shipped model: 1)")
        int threads = RECIPE_THREADS;
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments = CommandLines.parse(new Arguments(), args);
        Path data = arguments.data;
        Path out = arguments.out;
        int threads = arguments.threads;
        OfflineEngine.configure(threads);
        if (threads != RECIPE_THREADS || System.getenv("ATEN_CPU_CAPABILITY") != null) {
            System.out.println("note: the shipped checksum was made with --threads " + RECIPE_THREADS
                    + " and libtorch's own CPU kernels (ATEN_CPU_CAPABILITY unset, AVX-512 CPU); other settings give"
                    + " a model of the same quality but other bytes");
        }
        System.out.println("load average at start: " + MachineInfo.currentLoadAverage() + " on "
                + Runtime.getRuntime().availableProcessors() + " CPUs");
        FashionShift shift = FashionShift.load(FashionMnistFiles.require(data, true, System.out::println));
        long start = System.nanoTime();
        TrainingListener progress = new TrainingListener() {
            @Override
            public void onStep(StepProgress step) {
                if (step.step() % 200 == 0) {
                    System.out.printf(Locale.ROOT, "step %d/%d loss %.4f lr %.2e %.0f ms/step%n", step.step(),
                            step.totalSteps(), step.loss(), step.learningRate(), step.stepMillis());
                }
            }

            @Override
            public void onEpochEnd(int epoch, long step, double meanLoss) {
                System.out.printf(Locale.ROOT, "epoch %d done (step %d): mean loss %.4f, %.1f min so far%n", epoch, step,
                        meanLoss, (System.nanoTime() - start) / 6e10);
            }
        };
        Map<Style, Double> accuracy = PretrainingRecipe.run(shift, out, progress);
        Sha256Sums.write(out, List.of(BuiltinModel.CONFIG, BuiltinModel.WEIGHTS));
        System.out.printf(Locale.ROOT, "trained in %.1f min; load average at end: %s%n",
                (System.nanoTime() - start) / 6e10, MachineInfo.currentLoadAverage());
        System.out.println("accuracy on the test images of classes 0-4:");
        accuracy.forEach((style, value) -> System.out.printf(Locale.ROOT, "  %-8s %.1f%%%n", style.id(), value * 100));
        System.out.println(Files.readString(out.resolve(Sha256Sums.FILE_NAME)).strip());
        System.out.printf(Locale.ROOT, "model.safetensors: %d bytes%n", Files.size(out.resolve(BuiltinModel.WEIGHTS)));
    }
}
