package dev.largo.worker.runtime;

import java.util.UUID;

/**
 * This worker no longer holds the job's lease (it expired and was reaped, or the job was finished or cancelled
 * elsewhere): whatever it was about to write must be dropped, since another worker may own the job now.
 */
class LeaseLostException extends RuntimeException {

    LeaseLostException(UUID jobId, String workerName) {
        super("worker " + workerName + " no longer holds the lease of job " + jobId);
    }
}
