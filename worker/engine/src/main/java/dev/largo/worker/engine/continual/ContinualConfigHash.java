package dev.largo.worker.engine.continual;

import dev.largo.worker.engine.train.ConfigHash;
import dev.largo.worker.engine.train.MethodConfig;
import dev.largo.worker.engine.train.TrainingJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a continual checkpoint is bound to: for each of the first n tasks, the single-task {@link ConfigHash} of
 * its training (base model, task data, method, hyper-parameters, seed) and its name; then the continual method
 * and its settings. Tasks after the checkpoint's are left out, so a job with more tasks continues from it.
 */
final class ContinualConfigHash {

    private ContinualConfigHash() {
    }

    static String of(ContinualJob job, int tasks, MethodConfig method) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        for (ContinualTask task : job.tasks().subList(0, tasks)) {
            TrainingJob single = new TrainingJob(job.baseModelName(), job.baseConfig(), job.baseWeights(),
                    task.trainData(), List.of(), method, job.hyperparameters(), job.seed(), 0, job.inputs());
            update(digest, "task:" + task.name() + ":" + ConfigHash.of(single));
        }
        update(digest, "continual:" + job.method().id() + ":" + job.gorp());
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }
}
