package dev.largo.service.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.db.queue.ClaimedJob;
import dev.largo.db.queue.JobQueue;
import dev.largo.db.queue.QueueProperties;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * KEDA's `claimable` trigger counts exactly the jobs the workers' claim takes: its query is the claim
 * predicate ({@link JobQueue#CLAIMABLE}), and on a real PostgreSQL it counts the jobs that a worker claiming
 * until the queue is empty gets, in every state a job can be in.
 */
class ScaledObjectQueryTest {

    private static ScratchDatabase database;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void database() {
        database = ScratchDatabase.migrated();
        jdbc = database.jdbc();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void theClaimableTriggerQueriesTheClaimPredicate(String overlay) {
        assertThat(normalise(triggerQuery(overlay, "claimable")))
                .isEqualTo(normalise("select count(*) from jobs where " + JobQueue.CLAIMABLE));
    }

    @Test
    void theClaimableTriggerCountsExactlyTheJobsWorkersClaim() {
        JobRows seed = new JobRows(jdbc);
        Set<UUID> claimable = new HashSet<>();
        claimable.addAll(seed.jobs(3, "queued", "null", false));                            // ready
        claimable.addAll(seed.jobs(1, "queued", "now() - interval '1 second'", false));    // backoff over
        seed.jobs(2, "queued", "now() + interval '1 hour'", false);                        // backing off
        seed.jobs(1, "queued", "null", true);                                              // cancel requested
        seed.jobs(2, "running", "null", false);
        for (String status : List.of("validating", "succeeded", "failed", "cancelled")) {
            seed.jobs(1, status, "null", false);
        }
        String claimableQuery = triggerQuery("cpu", "claimable");
        String runningQuery = triggerQuery("cpu", "running");
        long demandBefore = count(claimableQuery) + count(runningQuery);
        assertThat(count(claimableQuery)).isEqualTo(claimable.size());

        JobQueue queue = new JobQueue(jdbc, new DataSourceTransactionManager(database.dataSource()), QueueProperties.defaults());
        List<UUID> claimed = new ArrayList<>();
        for (Optional<ClaimedJob> job = queue.claim("worker-a"); job.isPresent(); job = queue.claim("worker-a")) {
            claimed.add(job.get().id());
        }
        assertThat(claimed).containsExactlyInAnyOrderElementsOf(claimable);
        assertThat(count(claimableQuery)).isZero();
        // A claim moves a job from one count to the other: the replicas KEDA asks for (claimable + running)
        // stay while the workers pick the jobs up, instead of dropping and scaling the busy workers away.
        assertThat(count(claimableQuery) + count(runningQuery)).isEqualTo(demandBefore);
    }

    @Test
    void aJobWhoseBackoffEndsBecomesClaimableAndIsCounted() {
        JobRows seed = new JobRows(jdbc);
        String claimableQuery = triggerQuery("gpu", "claimable");
        long before = count(claimableQuery);
        UUID waiting = seed.jobs(1, "queued", "now() + interval '1 hour'", false).get(0);
        assertThat(count(claimableQuery)).isEqualTo(before);
        jdbc.update("update jobs set next_attempt_at = now() - interval '1 millisecond' where id = ?", waiting);
        assertThat(count(claimableQuery)).isEqualTo(before + 1);
        jdbc.update("update jobs set cancel_requested = true where id = ?", waiting);
        assertThat(count(claimableQuery)).isEqualTo(before);
    }

    static String triggerQuery(String overlay, String trigger) {
        Map<String, Object> scaledObject = Manifests.overlay(overlay).resource("ScaledObject", "largo-worker");
        return YamlFiles.listAt(scaledObject, "spec.triggers").stream().map(t -> YamlFiles.map(t, "trigger"))
                .filter(t -> trigger.equals(t.get("name"))).findFirst()
                .map(t -> YamlFiles.stringAt(t, "metadata.query"))
                .orElseThrow(() -> new AssertionError("no trigger " + trigger + " in the " + overlay + " ScaledObject"));
    }

    private static long count(String query) {
        return jdbc.queryForObject(query, Long.class);
    }

    static String normalise(String sql) {
        return sql.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll("\\s*;\\s*$", "").trim();
    }
}
