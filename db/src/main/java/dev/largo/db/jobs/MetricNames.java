package dev.largo.db.jobs;

import java.util.List;

/**
 * The names of the metric points a worker writes for a job: one list that the worker writes by and the API checks
 * a {@code name} filter against, so a misspelt name (e.g. {@code train_loss}) is refused, not answered empty.
 */
public final class MetricNames {

    public static final String LOSS = "train/loss";
    public static final String LEARNING_RATE = "train/lr";
    public static final String GRAD_NORM = "train/grad_norm";
    public static final String STEP_MS = "train/step_ms";
    public static final String EPOCH_LOSS = "train/epoch_loss";
    /** Followed by a tensor name: the LARGO / FTP projection radius of that tensor. */
    public static final String GAMMA_PREFIX = "gamma/";

    /** The fixed names, in the order the contract lists them. */
    public static final List<String> FIXED = List.of(LOSS, LEARNING_RATE, GRAD_NORM, STEP_MS, EPOCH_LOSS);

    private MetricNames() {
    }

    /** The name of a tensor's gamma metric. */
    public static String gamma(String tensor) {
        return GAMMA_PREFIX + tensor;
    }

    /**
     * Whether a {@code name} filter can match anything: a fixed name, a {@code gamma/<tensor>} name, or a pattern
     * with a trailing {@code *} whose prefix begins one of those.
     */
    public static boolean isKnownFilter(String filter) {
        if (filter.endsWith("*")) {
            String prefix = filter.substring(0, filter.length() - 1);
            return prefix.startsWith(GAMMA_PREFIX) || GAMMA_PREFIX.startsWith(prefix)
                    || FIXED.stream().anyMatch(name -> name.startsWith(prefix));
        }
        return FIXED.contains(filter) || filter.startsWith(GAMMA_PREFIX) && filter.length() > GAMMA_PREFIX.length();
    }

    /** The valid names, as an error message lists them. */
    public static String describe() {
        return String.join(", ", FIXED) + ", " + GAMMA_PREFIX + "<tensor> (a trailing * matches a prefix, e.g. "
                + GAMMA_PREFIX + "*)";
    }
}
