package dev.largo.service.testsupport;

import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes what a worker leaves after training a continual job's tasks, for tests of what the API and the
 * dashboard make of it without training: the accuracy matrix, average accuracy and backward transfer per
 * task, one final evaluation row per seen task (its training dataset as the split; ID for the first task,
 * OOD for the others), and the job and its tasks succeeded.
 */
public final class ContinualResults {

    private ContinualResults() {
    }

    /** @param matrix a[j][i] for every trained task j (rows) and every task i of the job (columns) */
    public static void record(JdbcTemplate jdbc, UUID job, double[][] matrix) {
        for (int j = 0; j < matrix.length; j++) {
            double seen = 0;
            double transfer = 0;
            for (int i = 0; i < matrix[j].length; i++) {
                jdbc.update("insert into task_accuracies (job_id, after_task, task_index, accuracy) values (?, ?, ?, ?)",
                        job, j, i, matrix[j][i]);
                if (i > j) {
                    continue;
                }
                seen += matrix[j][i];
                transfer += i < j ? matrix[j][i] - matrix[i][i] : 0;
                jdbc.update("insert into evaluations (job_id, epoch, split_name, kind, domain, model, accuracy, loss, ece,"
                        + " count, task_index, after_task) select ?, null, training_dataset_id::text, ?, ?, 'fine_tuned',"
                        + " ?, 0.5, 0.05, 8, ?, ? from job_tasks where job_id = ? and task_index = ?",
                        job, i == 0 ? "id" : "ood", "d" + i, matrix[j][i], i, j, job, i);
            }
            jdbc.update("update job_tasks set status = 'succeeded', progress = 1, average_accuracy = ?,"
                    + " backward_transfer = ?, started_at = now(), finished_at = now() where job_id = ? and task_index = ?",
                    seen / (j + 1), j == 0 ? null : transfer / j, job, j);
        }
        jdbc.update("update jobs set status = 'succeeded', progress = 1, current_task = ?, started_at = now(),"
                + " finished_at = now() where id = ?", matrix.length - 1, job);
    }
}
