package dev.largo.worker.sentiment;

import dev.largo.worker.engine.bench.ProcessMemory;
import dev.largo.worker.engine.continual.ContinualJob;
import dev.largo.worker.engine.continual.ContinualListener;
import dev.largo.worker.engine.continual.ContinualMethod;
import dev.largo.worker.engine.continual.ContinualResult;
import dev.largo.worker.engine.continual.ContinualRunner;
import dev.largo.worker.engine.continual.ContinualTask;
import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.eval.EvalSplit;
import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.method.gorp.GorpConfig;
import dev.largo.worker.engine.model.bert.AllMiniLmL6V2;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.fashion.BenchmarkRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the continual text sequence through the worker's {@link ContinualRunner}. */
final class SentimentContinualRun {

    private SentimentContinualRun() {
    }

    static SentimentContinualResult execute(SentimentContinualSpec spec, SentimentData data, ContinualListener listener)
            throws IOException {
        long start = System.nanoTime();
        SentimentModel model = SentimentModel.open(spec.modelDirectory());
        List<ContinualTask> tasks = new ArrayList<>();
        for (String domain : SentimentData.DOMAINS) {
            tasks.add(new ContinualTask(domain, data.continualTrain().get(domain), List.of(new EvalSplit(
                    domain + "-test", SplitKind.ID, domain, data.tests().get(domain)))));
        }
        Hyperparameters hyper = new Hyperparameters(spec.epochs(), spec.batchSize(), spec.learningRate(), 0, 0.1, 1.0,
                0, spec.epochs(), spec.epochs(), spec.maxSeqLength());
        Path work = Path.of(spec.workDirectory());
        ContinualResult result;
        try (ModelInputs inputs = model.inputs(spec.maxSeqLength())) {
            ContinualJob job = new ContinualJob(AllMiniLmL6V2.ID, model.config(), model.weights(), tasks,
                    spec.method(), spec.method() == ContinualMethod.GORP ? GorpConfig.DEFAULT : null, hyper,
                    spec.seed(), inputs);
            result = new ContinualRunner(job, work, listener, () -> false, null).run(null);
        } finally {
            BenchmarkRun.deleteRecursively(work);
        }
        return new SentimentContinualResult(spec, result.matrix().taskNames(), result.matrix().accuracy(),
                result.matrix().averageAccuracy(), result.matrix().backwardTransfer(), result.trainableParameters(),
                result.medianStepMillis(), ProcessMemory.peakResidentKb() / 1024.0, (System.nanoTime() - start) / 1e9);
    }
}
