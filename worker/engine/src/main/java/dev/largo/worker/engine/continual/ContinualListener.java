package dev.largo.worker.engine.continual;

import dev.largo.worker.engine.train.TrainingListener;

/**
 * Progress of a continual job: the single-job callbacks (per step, epoch, checkpoint, evaluation, message;
 * epochs and steps count within the current task) plus task boundaries.
 */
public interface ContinualListener extends TrainingListener {

    default void onTaskStart(int taskIndex, String taskName) {
    }

    /** After task taskIndex trained: its checkpoint, the accuracy-matrix row, and that task's exports. */
    default void onTaskEnd(TaskOutcome outcome) {
    }

    ContinualListener NONE = new ContinualListener() {
    };
}
