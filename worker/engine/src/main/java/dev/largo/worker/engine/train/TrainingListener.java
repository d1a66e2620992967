package dev.largo.worker.engine.train;

import dev.largo.worker.engine.eval.EvaluationReport;
import java.nio.file.Path;

/**
 * What a training run reports while it runs. The worker process writes these to the database; the local CLI
 * prints them. Callbacks run on the training thread, between steps.
 */
public interface TrainingListener {

    /** After every optimizer step. */
    default void onStep(StepProgress progress) {
    }

    /** After every epoch, before its checkpoint and evaluation. */
    default void onEpochEnd(int epoch, long step, double meanLoss) {
    }

    /**
     * A checkpoint was written; a resumed run can start from it.
     *
     * @param file the checkpoint (the listener may copy it; the engine may delete it after the run)
     */
    default void onCheckpoint(int epoch, long step, Path file) {
    }

    /** Evaluation results of the fine-tuned model or of the base reference. */
    default void onEvaluation(EvaluationReport report) {
    }

    /** A line of progress worth showing (setup stages, exports). */
    default void onMessage(String message) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
