package dev.largo.worker.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.largo.worker.engine.data.Batches;
import dev.largo.worker.engine.data.LabelledData;
import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.model.ForwardScope;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.optim.AdamW;
import dev.largo.worker.engine.optim.CosineSchedule;
import dev.largo.worker.engine.optim.GradientClipping;
import dev.largo.worker.engine.optim.Gradients;
import dev.largo.worker.engine.optim.Optimizer;
import dev.largo.worker.engine.optim.TrainableTensor;
import dev.largo.worker.engine.support.Seeds;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Runs a method's training loop: seeded batches, forward and backward in a {@link ForwardScope}, global-norm
 * clipping, the method's optimizer (AdamW, wrapped in the regulated projection for largo/ftp) with a cosine
 * schedule with warm-up, per-step progress, a cancellation check before every step, and an epoch-end hook
 * (checkpoint, evaluation). With {@code head_warmup_epochs} the run has two phases: the head alone first
 * (LP-FT), then the method's tensors with a fresh optimizer and schedule.
 *
 * <p>Deterministic: one seed gives the same run (single process, CPU), and {@link #restore} continues a run
 * exactly where its checkpoint left it.
 */
public final class Trainer implements AutoCloseable {

    public static final String PHASE_HEAD_WARMUP = "head_warmup";
    public static final String PHASE_TRAIN = "train";

    /** Called after each epoch's listener callback; the job runner checkpoints and evaluates here. */
    @FunctionalInterface
    public interface EpochEndHook {
        void onEpochEnd(Trainer trainer, int epoch);
    }

    /**
     * DJL's PyTorch engine allows one gradient collector per process at a time (PtGradientCollector throws
     * otherwise): runs on several threads of one process (a worker with concurrency above 1) take turns for
     * forward and backward; batching, clipping and optimizer steps still overlap.
     */
    private static final Object GRADIENT_COLLECTOR = new Object();

    private final Classifier model;
    private final MethodConfig methodConfig;
    private final PreparedMethod method;
    private final Hyperparameters hyper;
    private final LabelledData data;
    private final ModelInputs inputs;
    private final Batches batches;
    private final TrainingListener listener;
    private final BooleanSupplier cancelRequested;
    private final EpochEndHook epochEndHook;
    private final int stepsPerEpoch;
    private final TrainingPlan.OptimizerSource optimizers;

    private NDManager optimizerState;
    private Optimizer optimizer;
    private String phase;
    private List<TrainableTensor> trainable;
    private long step;
    private int epochsDone;
    private double stepMillisTotal;
    private long timedSteps;

    public Trainer(TrainingPlan plan, TrainingListener listener, BooleanSupplier cancelRequested,
                   EpochEndHook epochEndHook) {
        this.model = plan.model();
        this.methodConfig = plan.method();
        this.method = plan.prepared();
        this.hyper = plan.hyperparameters();
        this.data = plan.trainData();
        this.inputs = plan.inputs();
        this.listener = listener;
        this.cancelRequested = cancelRequested;
        this.epochEndHook = epochEndHook;
        this.batches = new Batches(data.count(), hyper.batchSize(), true, false, Seeds.derive(plan.seed(), "batches"));
        this.stepsPerEpoch = batches.batchesPerEpoch();
        this.optimizers = plan.optimizers();
    }

    /** Trains until the last epoch (from wherever the trainer stands: start or a restored checkpoint). */
    public void run() {
        while (epochsDone < hyper.totalEpochs()) {
            int epoch = epochsDone;
            enterPhaseOf(epoch);
            double lossSum = 0;
            int batchesSeen = 0;
            while (batches.epoch() == epoch) {
                if (cancelRequested.getAsBoolean()) {
                    throw new TrainingCancelledException(step);
                }
                lossSum += step(epoch);
                batchesSeen++;
            }
            epochsDone++;
            listener.onEpochEnd(epochsDone, step, batchesSeen == 0 ? Double.NaN : lossSum / batchesSeen);
            epochEndHook.onEpochEnd(this, epochsDone);
        }
    }

    private double step(int epoch) {
        long start = System.nanoTime();
        int[] indices = batches.next();
        double loss;
        try (ForwardScope scope = ForwardScope.open(model)) {
            NDArray labels = inputs.labels(data, indices, scope.manager());
            synchronized (GRADIENT_COLLECTOR) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = inputs.logits(model, data, indices, scope.manager());
                    NDArray lossArray = CrossEntropy.mean(logits, labels);
                    loss = lossArray.getFloat();
                    if (!Double.isFinite(loss)) {
                        throw new NonFiniteLossException("training loss", loss, step + 1, epoch + 1);
                    }
                    collector.backward(lossArray);
                }
            }
        }
        float gradNorm = GradientClipping.clipGlobalNorm(trainable, (float) hyper.gradClip());
        if (!Float.isFinite(gradNorm)) {
            // Clipping would scale an infinite gradient by 0 and turn it into NaN weights.
            throw new NonFiniteLossException("gradient norm", gradNorm, step + 1, epoch + 1);
        }
        float lr = schedule().lr(step - phaseStartStep());
        optimizer.step(trainable, lr);
        Gradients.zero(trainable);
        step++;
        double millis = (System.nanoTime() - start) / 1e6;
        stepMillisTotal += millis;
        timedSteps++;
        long left = totalSteps() - step;
        listener.onStep(new StepProgress(step, totalSteps(), epoch + 1, hyper.totalEpochs(), phase, loss, lr, gradNorm,
                millis, left * (stepMillisTotal / timedSteps) / 1000, OptimizerFactory.gammas(optimizer)));
        return loss;
    }

    /** Sets the trainable tensors and optimizer for the phase {@code epoch} (from 0) belongs to. */
    private void enterPhaseOf(int epoch) {
        String wanted = epoch < hyper.headWarmupEpochs() ? PHASE_HEAD_WARMUP : PHASE_TRAIN;
        if (wanted.equals(phase)) {
            return;
        }
        if (optimizerState != null) {
            optimizerState.close();
        }
        phase = wanted;
        List<String> names = phase.equals(PHASE_HEAD_WARMUP) ? method.head() : method.trainable();
        model.setTrainable(names);
        trainable = model.trainable();
        optimizerState = model.manager().newSubManager();
        optimizer = phase.equals(PHASE_HEAD_WARMUP)
                ? new AdamW(optimizerState, (float) hyper.weightDecay())
                : optimizers != null ? optimizers.create(optimizerState, hyper)
                : OptimizerFactory.create(optimizerState, methodConfig, method, hyper);
    }

    private CosineSchedule schedule() {
        long phaseSteps = phase.equals(PHASE_HEAD_WARMUP) ? (long) hyper.headWarmupEpochs() * stepsPerEpoch
                : (long) hyper.epochs() * stepsPerEpoch;
        long warmup = (long) Math.ceil(hyper.warmupRatio() * phaseSteps);
        return new CosineSchedule((float) hyper.learningRate(), warmup, phaseSteps, 0f);
    }

    private long phaseStartStep() {
        return phase.equals(PHASE_HEAD_WARMUP) ? 0 : (long) hyper.headWarmupEpochs() * stepsPerEpoch;
    }

    public long totalSteps() {
        return (long) hyper.totalEpochs() * stepsPerEpoch;
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    public long step() {
        return step;
    }

    public int epochsDone() {
        return epochsDone;
    }

    public Classifier model() {
        return model;
    }

    public MethodConfig methodConfig() {
        return methodConfig;
    }

    public PreparedMethod method() {
        return method;
    }

    public Hyperparameters hyperparameters() {
        return hyper;
    }

    /** The current phase's optimizer (null before the first epoch); continual methods read its moments. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The state a checkpoint needs: counters, batch cursor, the current phase's optimizer state. */
    TrainerState state() {
        return new TrainerState(step, epochsDone, phase, batches.cursor(),
                optimizer == null ? Map.of() : optimizer.stateDict());
    }

    /**
     * Continues from a checkpoint's state (model tensors must already hold the checkpoint's values). The
     * optimizer state is loaded only when it belongs to the phase the run continues in: at the head warm-up's
     * end the fine-tuning phase starts with a fresh optimizer, as it does in an uninterrupted run.
     */
    void restore(TrainerState state) {
        this.step = state.step();
        this.epochsDone = state.epochsDone();
        batches.restore(state.cursor());
        if (epochsDone < hyper.totalEpochs()) {
            enterPhaseOf(epochsDone);
            if (phase.equals(state.phase()) && !state.optimizer().isEmpty()) {
                optimizer.loadStateDict(state.optimizer(), optimizerState);
            }
        }
    }

    @Override
    public void close() {
        if (optimizerState != null) {
            optimizerState.close();
            optimizerState = null;
        }
    }
}
