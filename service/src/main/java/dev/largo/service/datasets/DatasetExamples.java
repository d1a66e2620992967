package dev.largo.service.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.largo.api.model.TextExample;
import dev.largo.api.model.TextExampleList;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.datasets.DatasetEntity;
import dev.largo.db.datasets.DatasetTaskType;
import dev.largo.service.errors.ApiProblem;
import lombok.RequiredArgsConstructor;

/**
 * The first rows of a stored text dataset, read from the start of its file (the upload validated every row, so
 * they parse); only as many lines are read as are shown. Texts are cut to {@link #MAX_CHARS} characters.
 */
@Service
@RequiredArgsConstructor
public class DatasetExamples {

    static final int MAX_CHARS = 500;

    private final DatasetCatalog catalog;
    private final ArtifactStore artifacts;
    private final ObjectMapper json;

    @Transactional(readOnly = true)
    public TextExampleList first(UUID id, int limit) {
        DatasetEntity dataset = catalog.find(id);
        if (dataset.getTaskType() != DatasetTaskType.TEXT_CLASSIFICATION) {
            throw ApiProblem.conflict("not-text", "dataset " + id + " is a " + dataset.getTaskType().wireValue()
                    + " dataset; only text datasets have rows to show");
        }
        List<TextExample> rows = new ArrayList<>();
        try (InputStream in = artifacts.open(dataset.getArtifactId());
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while (rows.size() < limit && (line = reader.readLine()) != null) {
                String row = rows.isEmpty() && line.startsWith("\uFEFF") ? line.substring(1) : line;
                if (!row.isBlank()) {
                    rows.add(example(json.readTree(row)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset " + id + " from the artifact store", e);
        }
        return new TextExampleList()._object(TextExampleList.ObjectEnum.LIST).data(rows);
    }

    private static TextExample example(JsonNode row) {
        String text = row.get("text").asString();
        boolean cut = text.codePointCount(0, text.length()) > MAX_CHARS;
        String shown = cut ? text.substring(0, text.offsetByCodePoints(0, MAX_CHARS)) : text;
        return new TextExample(shown, row.get("label").asString(), cut);
    }
}
