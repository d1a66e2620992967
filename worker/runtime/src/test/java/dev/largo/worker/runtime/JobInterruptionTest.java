package dev.largo.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.db.jobs.CheckpointEntity;
import dev.largo.db.jobs.EvaluatedModel;
import dev.largo.db.jobs.EvaluationEntity;
import dev.largo.worker.engine.model.bert.TinyTextModel;
import dev.largo.worker.runtime.testing.TinyJobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run that does not end in one go: cancelled by its user, given up by a worker whose lease lapsed (dead or
 * partitioned), or handed back by a worker that shuts down. A resumed run continues from the newest
 * checkpoint and ends with the adapter of an uninterrupted run of the same job: the engine is deterministic
 * on one machine and a checkpoint carries the complete training state (tolerance 1e-6; observed 0).
 */
class JobInterruptionTest extends WorkerIntegrationTest {

    private static final int EXAMPLES = 48;
    private static final int BATCH = 8;
    private static final int EPOCHS = 3;
    private static final int STEPS_PER_EPOCH = EXAMPLES / BATCH;
    /** The worker under test freezes at its first progress write in epoch 2, after the epoch-1 checkpoint. */
    private static final long PAUSE_AT_STEP = STEPS_PER_EPOCH + 2;
    private static final double TOLERANCE = 1e-6;

    /** The adapter of each job's uninterrupted run, by job request (computed once per request). */
    private static final Map<String, Map<String, float[]>> UNINTERRUPTED = new java.util.HashMap<>();

    private final List<PausingQueue> pausingQueues = new ArrayList<>();
    private String model;
    private UUID train;
    private String request;

    @BeforeEach
    void job() throws Exception {
        model = fixtures.tinyVit(7);
        train = fixtures.dataset("train", TinyJobs.quadrants(EXAMPLES, 4, 1, 1), "clean");
        UUID test = fixtures.dataset("test", TinyJobs.quadrants(32, 4, 1, 2), "clean");
        Map<String, String> splits = new LinkedHashMap<>();
        splits.put(test.toString(), "id");
        request = TinyJobs.jobRequest(model, train.toString(), splits, "largo", EPOCHS, BATCH, 1e-2, 9);
    }

    @Test
    void aJobWhoseWorkerStopsHeartbeatingIsResumedByAnotherWorkerFromItsLastCheckpoint() throws Exception {
        Map<String, float[]> reference = uninterruptedAdapter();
        PausingQueue partitioned = pausingQueue();
        UUID jobId = finishedByAnotherWorkerAfterALostLease(partitioned);

        // worker-a wakes up: its next write finds the lease gone and it stops, writing nothing more.
        long eventsBefore = eventTypes(jobId).size();
        partitioned.resume();
        Thread.sleep(1500);
        assertThat(eventTypes(jobId)).hasSize((int) eventsBefore);
        assertThat(status(jobId)).isEqualTo("succeeded");

        assertThat(job(jobId)).containsEntry("attempts", 2);
        assertResumedFrom(jobId, 1, STEPS_PER_EPOCH);
        assertThat(checkpoints.findByJobIdOrderByStepAsc(jobId)).extracting(CheckpointEntity::getStep)
                .as("epoch 1 by worker-a, epochs 2 and 3 by worker-b")
                .containsExactly((long) STEPS_PER_EPOCH, 2L * STEPS_PER_EPOCH, 3L * STEPS_PER_EPOCH);
        assertOneEvaluationPerEpoch(jobId);
        assertAdapterEquals(jobId, reference);
    }

    /**
     * The same for a text job (a small BERT with its tokenizer, JSONL data): the tokenizer and the texts are staged
     * again by the second worker, and its resumed run ends with the uninterrupted run's adapter.
     */
    @Test
    void aTextJobWhoseWorkerStopsHeartbeatingIsResumedByAnotherWorkerFromItsLastCheckpoint() throws Exception {
        model = fixtures.tinyBert(5);
        train = fixtures.textDataset("reviews", TinyTextModel.sentiment(EXAMPLES, 1), "shop");
        UUID test = fixtures.textDataset("reviews-test", TinyTextModel.sentiment(16, 2), "shop");
        request = TinyJobs.jobRequest(model, train.toString(), Map.of(test.toString(), "id"), "largo", EPOCHS, BATCH,
                1e-2, 9)
                // the encoder's attention linears (a BERT's "dense" would take its new pooler too); 16 tokens a text
                .replace("[\"query\",\"value\",\"dense\"]", "[\"query\",\"value\"]")
                .replace("\"checkpoint_every_epochs\":1", "\"checkpoint_every_epochs\":1,\"max_seq_length\":16");
        assertThat(request).contains("\"max_seq_length\":16").doesNotContain("\"dense\"");
        Map<String, float[]> reference = uninterruptedAdapter();
        assertThat(reference.keySet()).anyMatch(name -> name.startsWith("base_model.model.bert.encoder.layer.0."));
        PausingQueue partitioned = pausingQueue();
        UUID jobId = finishedByAnotherWorkerAfterALostLease(partitioned);
        partitioned.resume();

        assertThat(job(jobId)).containsEntry("attempts", 2);
        assertResumedFrom(jobId, 1, STEPS_PER_EPOCH);
        assertOneEvaluationPerEpoch(jobId);
        assertAdapterEquals(jobId, reference);
    }

    @Test
    void aWorkerThatShutsDownCheckpointsWhereItStandsAndReleasesTheJobForAnotherToFinish() throws Exception {
        Map<String, float[]> reference = uninterruptedAdapter();
        UUID jobId = submit();
        PausingQueue pausing = pausingQueue();
        pausing.pauseWhen(p -> p.jobId().equals(jobId) && p.step() != null && p.step() >= PAUSE_AT_STEP, false);
        QueueWorker workerA = start(context().withQueue(pausing), "worker-a");
        assertThat(pausing.awaitPaused(Duration.ofSeconds(90))).isTrue();

        // SIGTERM runs Spring's shutdown hook, which stops the worker: the same call here.
        Thread stopping = new Thread(workerA::stop);
        stopping.start();
        Thread.sleep(300);
        pausing.resume();
        stopping.join(Duration.ofSeconds(60).toMillis());
        assertThat(stopping.isAlive()).isFalse();

        Map<String, Object> released = job(jobId);
        assertThat(released).containsEntry("status", "queued").containsEntry("attempts", 0)
                .containsEntry("lease_owner", null);
        assertThat(eventTypes(jobId)).contains("job.released");
        List<CheckpointEntity> kept = checkpoints.findByJobIdOrderByStepAsc(jobId);
        assertThat(kept).extracting(CheckpointEntity::getStep).as("the epoch-1 checkpoint and one where it stopped")
                .containsExactly((long) STEPS_PER_EPOCH, PAUSE_AT_STEP);
        assertThat(kept.get(1).getEpoch()).as("epochs completed at the mid-epoch checkpoint").isEqualTo(1);

        start(context(), "worker-b");
        assertThat(awaitStatus(jobId, Duration.ofSeconds(90), "succeeded", "failed", "cancelled")).isEqualTo("succeeded");
        assertThat(job(jobId)).containsEntry("attempts", 1);
        assertResumedFrom(jobId, 1, PAUSE_AT_STEP);
        assertOneEvaluationPerEpoch(jobId);
        assertAdapterEquals(jobId, reference);
    }

    @Test
    void aCancelledRunningJobEndsCancelledWithinSecondsKeepingItsCheckpoints() throws Exception {
        UUID jobId = submit();
        PausingQueue pausing = pausingQueue();
        pausing.pauseWhen(p -> p.jobId().equals(jobId) && p.step() != null && p.step() >= PAUSE_AT_STEP, false);
        start(context().withQueue(pausing), "worker-a");
        assertThat(pausing.awaitPaused(Duration.ofSeconds(90))).isTrue();

        long requested = System.nanoTime();
        queue.requestCancel(jobId);
        pausing.resume();
        assertThat(awaitStatus(jobId, Duration.ofSeconds(30), "succeeded", "failed", "cancelled", "queued"))
                .isEqualTo("cancelled");
        double seconds = (System.nanoTime() - requested) / 1e9;
        System.out.printf("cancel took effect %.2f s after the request%n", seconds);
        assertThat(seconds).isLessThan(5);
        // The cancel is seen by the next poll (every 100 ms here), so how many steps run after the request
        // depends on the machine's speed (an epoch end may come first and write its own checkpoint); what
        // holds is that the run stopped before its last step, with a checkpoint where it stopped.
        List<CheckpointEntity> kept = checkpoints.findByJobIdOrderByStepAsc(jobId);
        assertThat(kept).extracting(CheckpointEntity::getStep).as("the epoch-1 checkpoint, then where it stopped")
                .startsWith((long) STEPS_PER_EPOCH).hasSizeGreaterThanOrEqualTo(2);
        assertThat(kept.get(kept.size() - 1).getStep()).as("stopped before the end of its %d epochs", EPOCHS)
                .isBetween(PAUSE_AT_STEP, (long) EPOCHS * STEPS_PER_EPOCH - 1);
        assertThat(kept).allMatch(c -> artifacts.find(c.getArtifactId()).isPresent());
        // The event names the epoch the stop-time checkpoint lies in, not the last complete one.
        long stoppedAt = kept.get(kept.size() - 1).getStep();
        List<String> saved = jdbc.queryForList("select message from job_events where job_id = ?"
                + " and type = 'checkpoint.saved' order by id", String.class, jobId);
        int completeEpochs = (int) (stoppedAt / STEPS_PER_EPOCH);
        assertThat(saved.get(saved.size() - 1)).isEqualTo(stoppedAt % STEPS_PER_EPOCH == 0
                ? "checkpoint saved after epoch " + completeEpochs + ", step " + stoppedAt
                : "checkpoint saved during epoch " + (completeEpochs + 1) + " at step " + stoppedAt + " ("
                        + completeEpochs + (completeEpochs == 1 ? " epoch" : " epochs") + " complete)");
        List<String> types = eventTypes(jobId);
        assertThat(types.get(types.size() - 1)).isEqualTo("job.cancelled");
        assertThat(job(jobId)).containsEntry("fine_tuned_adapter_id", null).containsEntry("attempts", 1);
    }

    /**
     * Submits the job; worker-a (on {@code partitioned}) freezes in epoch 2, its lease lapses and the reaper requeues
     * the job, which worker-b finishes. Worker-a stays frozen (the caller resumes it).
     */
    private UUID finishedByAnotherWorkerAfterALostLease(PausingQueue partitioned) throws Exception {
        UUID jobId = submit();
        partitioned.pauseWhen(p -> p.jobId().equals(jobId) && p.step() != null && p.step() >= PAUSE_AT_STEP, true);
        start(context().withQueue(partitioned), "worker-a");
        assertThat(partitioned.awaitPaused(Duration.ofSeconds(90))).as("worker-a reached epoch 2").isTrue();

        // worker-a is silent now; once its lease is over, the reaper puts the job back in the queue.
        jdbc.update("update jobs set lease_expires_at = now() - interval '1 second' where id = ?", jobId);
        assertThat(queue.reapExpiredLeases()).isEqualTo(1);
        start(context(), "worker-b");
        assertThat(awaitStatus(jobId, Duration.ofSeconds(90), "succeeded", "failed", "cancelled")).isEqualTo("succeeded");
        return jobId;
    }

    private UUID submit() {
        return fixtures.submit(model, train, request, "largo", 9);
    }

    private PausingQueue pausingQueue() {
        PausingQueue pausing = new PausingQueue(jdbc, transactionManager, queue.properties());
        pausingQueues.add(pausing);
        return pausing;
    }

    @AfterEach
    void resumePausedWorkers() {
        pausingQueues.forEach(PausingQueue::resume);
        pausingQueues.clear();
    }

    private synchronized Map<String, float[]> uninterruptedAdapter() throws Exception {
        if (!UNINTERRUPTED.containsKey(request)) {
            UUID jobId = submit();
            QueueWorker worker = start(context(), "worker-reference");
            assertThat(awaitStatus(jobId, Duration.ofSeconds(90), "succeeded", "failed", "cancelled"))
                    .isEqualTo("succeeded");
            worker.stop();
            UNINTERRUPTED.put(request, adapterTensors(jobId));
        }
        return UNINTERRUPTED.get(request);
    }

    private Map<String, float[]> adapterTensors(UUID jobId) throws Exception {
        UUID adapterId = (UUID) job(jobId).get("fine_tuned_adapter_id");
        UUID artifact = adapters.findById(adapterId).orElseThrow().getPeftArtifactId();
        Path zip = TinyJobs.save(artifacts.open(artifact), tempDir.resolve("adapter-" + jobId + ".zip"));
        return TinyJobs.adapterTensors(zip);
    }

    private void assertAdapterEquals(UUID jobId, Map<String, float[]> reference) throws Exception {
        double difference = TinyJobs.maxAbsDifference(adapterTensors(jobId), reference);
        System.out.println("resumed vs uninterrupted adapter: max |difference| = " + difference);
        assertThat(difference).as("max |resumed - uninterrupted| over every adapter tensor")
                .isLessThanOrEqualTo(TOLERANCE);
    }

    private void assertResumedFrom(UUID jobId, int epoch, long step) {
        List<Map<String, Object>> resumed = events(jobId).stream().filter(e -> e.get("type").equals("job.resumed"))
                .toList();
        assertThat(resumed).hasSize(1);
        assertThat((String) resumed.get(0).get("data")).contains("\"epoch\": " + epoch).contains("\"step\": " + step);
    }

    /** A resumed run files each epoch's evaluation once, and the final and base-reference rows once. */
    private void assertOneEvaluationPerEpoch(UUID jobId) {
        List<EvaluationEntity> rows = evaluations.findByJobIdOrderByIdAsc(jobId);
        assertThat(rows).filteredOn(r -> r.getModel() == EvaluatedModel.FINE_TUNED).extracting(EvaluationEntity::getEpoch)
                .containsExactlyInAnyOrder(1, 2, 3, null);
        assertThat(rows).filteredOn(r -> r.getModel() == EvaluatedModel.BASE_REFERENCE).hasSize(1);
    }
}
