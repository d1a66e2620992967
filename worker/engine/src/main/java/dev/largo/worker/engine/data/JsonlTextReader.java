package dev.largo.worker.engine.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads text classification data as JSON Lines: one object {"text": "...", "label": ...} per line,
 * where every label is either a string (classes = the distinct strings, sorted) or a non-negative
 * integer (classes "0" .. "K-1"), never a mix. Blank lines are skipped; errors name the 1-based row.
 */
public final class JsonlTextReader {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final DatasetLimits limits;

    public JsonlTextReader() {
        this(DatasetLimits.DEFAULT);
    }

    public JsonlTextReader(DatasetLimits limits) {
        this.limits = limits;
    }

    public TextDataset read(Path file) throws IOException, InvalidDatasetException {
        List<String> texts = new ArrayList<>();
        Labels labels = scan(file, texts);
        return new TextDataset(texts, labels.indices(), labels.classNames());
    }

    /** Validates every row and returns the labels, keeping no texts. */
    Labels scanLabels(Path file) throws IOException, InvalidDatasetException {
        return scan(file, null);
    }

    record Labels(int[] indices, List<String> classNames) {
    }

    private Labels scan(Path file, List<String> textsOut) throws IOException, InvalidDatasetException {
        String fileName = file.getFileName().toString();
        if (Files.size(file) > limits.maxUncompressedBytes()) {
            throw new InvalidDatasetException(fileName, "file has " + Files.size(file) + " bytes; "
                    + DatasetLimits.named(DatasetLimits.MAX_UNCOMPRESSED_BYTES, limits.maxUncompressedBytes()));
        }
        List<String> stringLabels = new ArrayList<>();
        List<Integer> intLabels = new ArrayList<>();
        String firstKindRow = null;
        long row = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] line;
            while ((line = nextLine(in, row + 1)) != null) {
                row++;
                String location = "row " + row;
                String text = decode(line, location, row == 1);
                if (text.isBlank()) {
                    continue;
                }
                if (stringLabels.size() + intLabels.size() >= limits.maxExamples()) {
                    throw new InvalidDatasetException(location, "more than " + limits.maxExamples() + " rows; "
                            + DatasetLimits.named(DatasetLimits.MAX_EXAMPLES, limits.maxExamples()));
                }
                JsonNode node = parse(text, location);
                JsonNode textNode = node.get("text");
                if (textNode == null || !textNode.isString()) {
                    throw new InvalidDatasetException(location, "missing \"text\" string");
                }
                if (textNode.stringValue().isBlank()) {
                    throw new InvalidDatasetException(location, "empty \"text\"");
                }
                JsonNode label = node.get("label");
                if (label == null || label.isNull()) {
                    throw new InvalidDatasetException(location, "missing \"label\"");
                }
                if (label.isString()) {
                    if (!intLabels.isEmpty()) {
                        throw new InvalidDatasetException(location, "label is a string but " + firstKindRow
                                + " has an integer label; use one kind throughout");
                    }
                    if (label.stringValue().isBlank()) {
                        throw new InvalidDatasetException(location, "empty \"label\"");
                    }
                    firstKindRow = firstKindRow == null ? location : firstKindRow;
                    stringLabels.add(label.stringValue());
                } else if (label.isIntegralNumber()) {
                    if (!stringLabels.isEmpty()) {
                        throw new InvalidDatasetException(location, "label is an integer but " + firstKindRow
                                + " has a string label; use one kind throughout");
                    }
                    if (!label.canConvertToInt() || label.intValue() < 0 || label.intValue() >= limits.maxClasses()) {
                        throw new InvalidDatasetException(location, "integer label " + label
                                + " is outside [0, " + limits.maxClasses() + "); "
                                + DatasetLimits.named(DatasetLimits.MAX_CLASSES, limits.maxClasses()));
                    }
                    firstKindRow = firstKindRow == null ? location : firstKindRow;
                    intLabels.add(label.intValue());
                } else {
                    throw new InvalidDatasetException(location, "\"label\" must be a string or a non-negative integer");
                }
                if (textsOut != null) {
                    textsOut.add(textNode.stringValue());
                }
            }
        }
        if (stringLabels.isEmpty() && intLabels.isEmpty()) {
            throw new InvalidDatasetException(fileName, "no rows");
        }
        if (!intLabels.isEmpty()) {
            int[] indices = intLabels.stream().mapToInt(Integer::intValue).toArray();
            return new Labels(indices, ClassNames.resolve(null, indices, fileName, limits.maxClasses()));
        }
        List<String> classNames = List.copyOf(new TreeSet<>(stringLabels));
        if (classNames.size() > limits.maxClasses()) {
            throw new InvalidDatasetException(fileName, classNames.size() + " distinct labels; "
                    + DatasetLimits.named(DatasetLimits.MAX_CLASSES, limits.maxClasses()));
        }
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            index.put(classNames.get(i), i);
        }
        int[] indices = new int[stringLabels.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = index.get(stringLabels.get(i));
        }
        return new Labels(indices, classNames);
    }

    private static JsonNode parse(String text, String location) throws InvalidDatasetException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new InvalidDatasetException(location, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidDatasetException(location, "must be a JSON object {\"text\": ..., \"label\": ...}");
        }
        return node;
    }

    /** The next line's bytes without the terminator, or null at end of file; bounded by maxRowBytes. */
    private byte[] nextLine(InputStream in, long row) throws IOException, InvalidDatasetException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b = in.read();
        if (b == -1) {
            return null;
        }
        while (b != -1 && b != '\n') {
            if (line.size() >= limits.maxRowBytes()) {
                throw new InvalidDatasetException("row " + row, "longer than " + limits.maxRowBytes() + " bytes; "
                        + DatasetLimits.named(DatasetLimits.MAX_ROW_BYTES, limits.maxRowBytes()));
            }
            line.write(b);
            b = in.read();
        }
        return line.toByteArray();
    }

    private static String decode(byte[] line, String location, boolean first) throws InvalidDatasetException {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line)).toString();
            return first && text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new InvalidDatasetException(location, "not valid UTF-8");
        }
    }
}
