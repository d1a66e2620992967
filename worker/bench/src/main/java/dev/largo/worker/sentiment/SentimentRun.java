package dev.largo.worker.sentiment;

import dev.largo.worker.engine.bench.ProcessMemory;
import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.eval.EvalSplit;
import dev.largo.worker.engine.eval.EvaluatedSplit;
import dev.largo.worker.engine.eval.EvaluationReport;
import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.model.bert.AllMiniLmL6V2;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.engine.train.JobResult;
import dev.largo.worker.engine.train.JobRunner;
import dev.largo.worker.engine.train.TrainingJob;
import dev.largo.worker.engine.train.TrainingListener;
import dev.largo.worker.fashion.BenchmarkRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one single-task run through the worker's own entry point, {@link JobRunner}, as a user's job on the
 * built-in MiniLM would run (its tokenizer, the job's max_seq_length), with the base reference skipped and one
 * evaluation at the end.
 */
final class SentimentRun {

    /** The amazon-val split's domain in the evaluation (it chooses learning rates; it is no test set). */
    static final String VALIDATION = "amazon-val";

    private SentimentRun() {
    }

    static SentimentRunResult execute(SentimentRunSpec spec, SentimentData data, TrainingListener listener)
            throws IOException {
        long start = System.nanoTime();
        SentimentModel model = SentimentModel.open(spec.modelDirectory());
        List<EvalSplit> splits = new ArrayList<>();
        splits.add(new EvalSplit(VALIDATION, SplitKind.ID, VALIDATION, data.validation()));
        data.tests().forEach((domain, rows) -> splits.add(new EvalSplit(domain + "-test",
                domain.equals(SentimentData.ID_DOMAIN) ? SplitKind.ID : SplitKind.OOD, domain, rows)));
        int totalEpochs = spec.headWarmupEpochs() + spec.epochs();
        Hyperparameters hyper = new Hyperparameters(spec.epochs(), spec.batchSize(), spec.learningRate(), 0, 0.1, 1.0,
                spec.headWarmupEpochs(), totalEpochs, totalEpochs, spec.maxSeqLength());
        Path work = Path.of(spec.workDirectory());
        JobResult result;
        try (ModelInputs inputs = model.inputs(spec.maxSeqLength())) {
            TrainingJob job = new TrainingJob(AllMiniLmL6V2.ID, model.config(), model.weights(), data.train(), splits,
                    spec.arm().methodConfig(model.architecture().defaultLoraTargets()), hyper,
                    spec.seed(), 0, inputs);
            result = new JobRunner(job, work, listener, () -> false).run(null);
        } finally {
            BenchmarkRun.deleteRecursively(work);
        }
        EvaluationReport last = result.finalEvaluation();
        Map<String, Double> byDomain = new LinkedHashMap<>();
        double validationAccuracy = Double.NaN;
        double validationLoss = Double.NaN;
        for (EvaluatedSplit split : last.splits()) {
            if (split.domain().equals(VALIDATION)) {
                validationAccuracy = split.metrics().accuracy();
                validationLoss = split.metrics().meanLoss();
            } else {
                byDomain.put(split.domain(), split.metrics().accuracy());
            }
        }
        List<Double> ood = SentimentData.DOMAINS.subList(1, SentimentData.DOMAINS.size()).stream()
                .map(byDomain::get).toList();
        return new SentimentRunResult(spec, validationAccuracy, validationLoss, byDomain,
                byDomain.get(SentimentData.ID_DOMAIN), ood.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                ood.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), result.trainableParameters(), result.steps(),
                result.medianStepMillis(), ProcessMemory.peakResidentKb() / 1024.0, (System.nanoTime() - start) / 1e9);
    }
}
