package dev.largo.db.queue;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Timing of the job queue ({@code largo.queue.*}).
 *
 * @param lease how long a claim is valid without a heartbeat; a worker that stops heartbeating loses the job
 *     after at most this long (plus one reaper interval)
 * @param heartbeat how often a worker renews its lease and checks for cancellation; well below {@code lease}
 * @param backoffBase delay before the first retry of a job whose attempt failed for infrastructure reasons;
 *     doubles with every further attempt
 * @param backoffCap upper bound of that delay
 * @param reaperInterval how often expired leases are looked for
 * @param pollInterval how long an idle worker waits for a NOTIFY before polling the queue anyway
 * @param reaperEnabled whether this process runs the lease reaper (safe to run in every replica)
 */
@ConfigurationProperties("largo.queue")
public record QueueProperties(
        @DefaultValue("60s") Duration lease,
        @DefaultValue("10s") Duration heartbeat,
        @DefaultValue("5s") Duration backoffBase,
        @DefaultValue("5m") Duration backoffCap,
        @DefaultValue("15s") Duration reaperInterval,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("true") boolean reaperEnabled) {

    public QueueProperties {
        requirePositive(lease, "lease");
        requirePositive(heartbeat, "heartbeat");
        requirePositive(backoffBase, "backoff-base");
        requirePositive(backoffCap, "backoff-cap");
        requirePositive(reaperInterval, "reaper-interval");
        requirePositive(pollInterval, "poll-interval");
        if (heartbeat.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("largo.queue.heartbeat (" + heartbeat
                    + ") must be shorter than largo.queue.lease (" + lease + "), or leases expire between heartbeats");
        }
        if (backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("largo.queue.backoff-cap (" + backoffCap
                    + ") must not be shorter than largo.queue.backoff-base (" + backoffBase + ")");
        }
    }

    /** The defaults, for code running without Spring (benchmarks, tools). */
    public static QueueProperties defaults() {
        return new QueueProperties(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofMinutes(5), Duration.ofSeconds(15), Duration.ofSeconds(5), true);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("largo.queue." + name + " must be a positive duration, got " + value);
        }
    }
}
