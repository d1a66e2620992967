package dev.largo.worker.engine.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over everything that decides a run's trajectory: the base model (config and weights bytes), the
 * training data, the method, the hyper-parameters and the seed. A checkpoint carries it so a run never
 * resumes from another configuration's state. Evaluation splits do not change training, so they are left out.
 */
public final class ConfigHash {

    private ConfigHash() {
    }

    public static String of(TrainingJob job) throws IOException {
        MessageDigest digest = sha256();
        update(digest, "config:" + job.baseConfig().toJson());
        try (InputStream in = Files.newInputStream(job.baseWeights())) {
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        job.trainData().fingerprint(digest);
        update(digest, "method:" + job.method());
        update(digest, "hyper:" + job.hyperparameters());
        update(digest, "seed:" + job.seed());
        update(digest, job.inputs().fingerprint());
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
