package dev.largo.service.datasets;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.largo.api.model.Dataset;
import dev.largo.api.model.DatasetList;
import dev.largo.api.model.DeletedObject;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.datasets.DatasetEntity;
import dev.largo.db.datasets.DatasetRepository;
import dev.largo.db.support.Tenants;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.paging.Page;
import dev.largo.service.tenancy.CurrentTenant;
import lombok.RequiredArgsConstructor;

/**
 * Reading and deleting the tenant's datasets. The sample datasets belong to the shared owner: every tenant
 * reads them, none may delete them (403).
 */
@Service
@RequiredArgsConstructor
public class DatasetCatalog {

    private final DatasetRepository datasets;
    private final ArtifactStore artifacts;
    private final JdbcTemplate jdbc;
    private final CurrentTenant tenant;

    @Transactional(readOnly = true)
    public Dataset get(UUID id) {
        return DatasetViews.toApi(find(id));
    }

    /** The tenant's own dataset or a shared (sample) one. */
    @Transactional(readOnly = true)
    public DatasetEntity find(UUID id) {
        return datasets.findVisibleTo(id, tenant.id()).orElseThrow(() -> ApiProblem.notFound("dataset", id));
    }

    @Transactional(readOnly = true)
    public DatasetList list(String after, int limit) {
        Page<DatasetEntity> page = Page.of(datasets.findPage(tenant.id(), Page.uuidCursor(after), limit + 1), limit);
        UUID next = page.nextAfter(DatasetEntity::getId);
        return new DatasetList()
                ._object(DatasetList.ObjectEnum.LIST)
                .data(page.map(DatasetViews::toApi))
                .hasMore(page.hasMore())
                .nextAfter(next == null ? null : next.toString());
    }

    /**
     * Deletes the dataset and its file, unless a job that is not finished trains or evaluates on it. The row
     * lock taken first makes this exclusive with job creation, which locks the datasets it references.
     */
    @Transactional
    public DeletedObject delete(UUID id) {
        List<UUID> locked = jdbc.queryForList("select id from datasets where id = ? and tenant_id = ? for update",
                UUID.class, id, tenant.id());
        if (locked.isEmpty()) {
            if (datasets.existsByIdAndTenantId(id, Tenants.SHARED)) {
                throw ApiProblem.forbidden("read-only", "dataset " + id
                        + " ships with the service and is shared by every tenant; it cannot be deleted");
            }
            throw ApiProblem.notFound("dataset", id);
        }
        String splitRef = "[{\"dataset\":\"" + id + "\"}]";
        // a continual job names its datasets in its tasks
        String taskTrainingRef = "[{\"training_dataset\":\"" + id + "\"}]";
        String taskSplitRef = "[{\"evaluation_splits\":" + splitRef + "}]";
        List<String> users = jdbc.queryForList("select id || ' (' || status || ')' from jobs"
                + " where tenant_id = ? and status in ('validating', 'queued', 'running')"
                + " and (training_dataset_id = ? or spec -> 'evaluation_splits' @> ?::jsonb"
                + " or spec -> 'tasks' @> ?::jsonb or spec -> 'tasks' @> ?::jsonb)"
                + " order by created_at limit 3", String.class, tenant.id(), id, splitRef, taskTrainingRef, taskSplitRef);
        if (!users.isEmpty()) {
            throw ApiProblem.conflict("dataset-in-use", "dataset " + id + " is used by unfinished job(s) "
                    + String.join(", ", users) + "; cancel them or wait until they finish");
        }
        List<String> trainedOn = jdbc.queryForList("select id::text from jobs where training_dataset_id = ?"
                + " or id in (select job_id from job_tasks where training_dataset_id = ?)"
                + " order by created_at limit 3", String.class, id, id);
        if (!trainedOn.isEmpty()) {
            // the job records keep a foreign key to their training dataset
            throw ApiProblem.conflict("dataset-referenced", "dataset " + id + " is the training dataset of finished"
                    + " job(s) " + String.join(", ", trainedOn) + ", whose records keep referring to it");
        }
        DatasetEntity dataset = datasets.findByIdAndTenantId(id, tenant.id()).orElseThrow();
        UUID artifactId = dataset.getArtifactId();
        datasets.delete(dataset);
        datasets.flush();
        artifacts.delete(artifactId);
        return new DeletedObject(id.toString(), "dataset", true);
    }
}
