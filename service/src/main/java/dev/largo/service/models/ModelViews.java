package dev.largo.service.models;

import java.time.ZoneOffset;

import dev.largo.api.model.Model;
import dev.largo.api.model.ModelArchitecture;
import dev.largo.api.model.TaskType;
import dev.largo.db.artifacts.ArtifactRef;
import dev.largo.db.models.BaseModelEntity;

/** The API's view of a base model. */
final class ModelViews {

    private ModelViews() {
    }

    static Model toApi(BaseModelEntity e, ArtifactRef weights) {
        return new Model()
                .id(e.getId())
                ._object(Model.ObjectEnum.MODEL)
                .name(e.getName())
                .architecture(ModelArchitecture.fromValue(e.getArchitecture().wireValue()))
                .taskType(TaskType.fromValue(e.getArchitecture().taskType().wireValue()))
                .numLabels(e.getNumLabels())
                .imageSize(e.getImageSize())
                .parameterCount(e.getParameterCount())
                .builtin(e.isBuiltIn())
                .sizeBytes(weights == null ? null : weights.sizeBytes())
                .sha256(weights == null ? null : weights.sha256())
                .hubId(e.getHubId())
                .license(e.getLicense())
                .createdAt(e.getCreatedAt().atOffset(ZoneOffset.UTC));
    }
}
