package dev.largo.service.datasets;

import java.util.regex.Pattern;

import dev.largo.api.model.DatasetFormat;
import dev.largo.api.model.TaskType;
import dev.largo.service.errors.ApiProblem;

/**
 * What a dataset upload says about its file. Multipart uploads have these checked by the generated
 * interface too; raw-body uploads come through a hand-mapped handler, so the contract's rules are applied
 * here, once, for both.
 */
public record DatasetUploadRequest(String name, TaskType taskType, DatasetFormat format, String split, String domain,
        String filename) {

    private static final Pattern TAG = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]*$");

    public DatasetUploadRequest {
        if (name == null || name.isBlank()) {
            throw ApiProblem.badParam("name", "is required (a query parameter or a form field)");
        }
        if (name.length() > 128) {
            throw ApiProblem.badParam("name", "must be at most 128 characters");
        }
        if (taskType == null) {
            throw ApiProblem.badParam("task_type", "is required: image_classification or text_classification");
        }
        checkTag("split", split);
        checkTag("domain", domain);
        if (filename != null && filename.length() > 255) {
            throw ApiProblem.badParam("filename", "must be at most 255 characters");
        }
    }

    private static void checkTag(String param, String value) {
        if (value != null && (value.length() > 64 || !TAG.matcher(value).matches())) {
            throw ApiProblem.badParam(param, "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    /** The file's name as stored: the client's, or one made from the dataset name. */
    public String storedFilename(String clientFilename) {
        String given = clientFilename != null && !clientFilename.isBlank() ? clientFilename : filename;
        if (given != null && !given.isBlank()) {
            // keep only the last path segment of what a browser or curl sent
            String base = given.replace('\\', '/');
            return base.substring(base.lastIndexOf('/') + 1);
        }
        return name;
    }
}
