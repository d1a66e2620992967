package dev.largo.service.models;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.largo.api.model.Model;
import dev.largo.api.model.ModelList;
import dev.largo.db.artifacts.ArtifactRef;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.models.BaseModelEntity;
import dev.largo.db.models.BaseModelRepository;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.paging.Page;
import dev.largo.service.tenancy.CurrentTenant;
import lombok.RequiredArgsConstructor;

/**
 * Base models a tenant can use: built-in ones (owned by the shared owner, read by every tenant) and its own
 * uploads. Lists are newest first.
 */
@Service
@RequiredArgsConstructor
public class ModelCatalog {

    private final BaseModelRepository models;
    private final ArtifactStore artifacts;
    private final CurrentTenant tenant;

    @Transactional(readOnly = true)
    public Model get(String id) {
        return toApi(find(id));
    }

    @Transactional(readOnly = true)
    public BaseModelEntity find(String id) {
        return models.findVisibleTo(id, tenant.id()).orElseThrow(() -> ApiProblem.notFound("model", id));
    }

    @Transactional(readOnly = true)
    public ModelList list(String after, int limit) {
        Page<BaseModelEntity> page = Page.of(models.findPage(tenant.id(), after, limit + 1), limit);
        return new ModelList()
                ._object(ModelList.ObjectEnum.LIST)
                .data(page.map(this::toApi))
                .hasMore(page.hasMore())
                .nextAfter(page.nextAfter(BaseModelEntity::getId));
    }

    private Model toApi(BaseModelEntity entity) {
        ArtifactRef weights = entity.getWeightsArtifactId() == null ? null
                : artifacts.find(entity.getWeightsArtifactId()).orElse(null);
        return ModelViews.toApi(entity, weights);
    }
}
