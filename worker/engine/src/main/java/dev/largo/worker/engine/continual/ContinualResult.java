package dev.largo.worker.engine.continual;

import java.util.List;

/**
 * A finished continual job.
 *
 * @param matrix every row so far (also the rows of tasks finished before a resume)
 * @param tasks the outcomes of the tasks trained by this call (a resumed run: from the resumed task on)
 * @param trainableParameters scalars trained in the last task
 * @param medianStepMillis median wall time per training step in this call
 */
public record ContinualResult(AccuracyMatrix matrix, List<TaskOutcome> tasks, long trainableParameters,
                              double medianStepMillis) {

    public ContinualResult {
        tasks = List.copyOf(tasks);
    }
}
