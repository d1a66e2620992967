package dev.largo.service.jobs;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import dev.largo.api.model.CreateFineTuningJobRequest;
import dev.largo.api.model.EvaluationSplit;
import dev.largo.db.datasets.DatasetEntity;
import dev.largo.db.datasets.DatasetRepository;
import dev.largo.db.datasets.DatasetTaskType;
import dev.largo.db.models.BaseModelEntity;
import dev.largo.db.models.BaseModelRepository;
import dev.largo.db.support.Tenants;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.tenancy.CurrentTenant;

/**
 * Checks, inside the transaction that creates a job, that what the spec names exists, belongs to the tenant
 * (or is a shared built-in) and fits together, and fills each evaluation split's default domain. Another
 * tenant's id is answered exactly like an unknown one (422 naming the parameter). The datasets are locked
 * {@code FOR SHARE} so that a concurrent delete waits for the job to exist (and then refuses).
 */
@Component
class JobReferences {

    private final BaseModelRepository models;
    private final DatasetRepository datasets;
    private final JdbcTemplate jdbc;
    private final CurrentTenant tenant;

    JobReferences(BaseModelRepository models, DatasetRepository datasets, JdbcTemplate jdbc, CurrentTenant tenant) {
        this.models = models;
        this.datasets = datasets;
        this.jdbc = jdbc;
        this.tenant = tenant;
    }

    /** Checks {@code spec} and fills the evaluation splits' domains in place. */
    void resolve(CreateFineTuningJobRequest spec) {
        BaseModelEntity model = models.findVisibleTo(spec.getBaseModel(), tenant.id())
                .orElseThrow(() -> ApiProblem.invalidParam("base_model", "no base model '" + spec.getBaseModel()
                        + "' (see GET /v1/models)"));
        DatasetEntity training = dataset(spec.getTrainingDataset(), "training_dataset");
        // both architectures the engine builds (vit, mlp) are image classifiers
        if (training.getTaskType() != DatasetTaskType.IMAGE_CLASSIFICATION) {
            throw ApiProblem.invalidParam("training_dataset", "is a " + training.getTaskType().wireValue()
                    + " dataset, but base model '" + model.getId() + "' (" + model.getArchitecture().wireValue()
                    + ") is an image classifier");
        }
        Set<String> trainingLabels = new HashSet<>(training.getClassNames());
        Set<UUID> seen = new HashSet<>();
        List<EvaluationSplit> splits = spec.getEvaluationSplits();
        for (int i = 0; i < splits.size(); i++) {
            EvaluationSplit split = splits.get(i);
            String param = "evaluation_splits[" + i + "].dataset";
            if (!seen.add(split.getDataset())) {
                throw ApiProblem.invalidParam(param, "dataset " + split.getDataset() + " is listed twice");
            }
            DatasetEntity eval = dataset(split.getDataset(), param);
            if (eval.getTaskType() != training.getTaskType()) {
                throw ApiProblem.invalidParam(param, "is a " + eval.getTaskType().wireValue()
                        + " dataset, the training dataset a " + training.getTaskType().wireValue() + " one");
            }
            List<String> unknown = eval.getClassNames().stream().filter(l -> !trainingLabels.contains(l)).toList();
            if (!unknown.isEmpty()) {
                throw ApiProblem.invalidParam(param, "has labels the training dataset does not: "
                        + String.join(", ", unknown.subList(0, Math.min(5, unknown.size())))
                        + (unknown.size() > 5 ? ", ..." : ""));
            }
            if (split.getDomain() == null) {
                split.setDomain(eval.getDomain() != null ? eval.getDomain() : domainTag(eval));
            }
        }
    }

    /** A dataset without a domain tag names its domain after itself, in the contract's tag syntax. */
    static String domainTag(DatasetEntity dataset) {
        String slug = dataset.getName().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
        if (slug.isEmpty()) {
            return "dataset-" + dataset.getId().toString().substring(0, 8);
        }
        return slug.length() > 64 ? slug.substring(0, 64) : slug;
    }

    private DatasetEntity dataset(UUID id, String param) {
        List<UUID> locked = jdbc.queryForList("select id from datasets where id = ? and tenant_id in (?, ?) for share",
                UUID.class, id, tenant.id(), Tenants.SHARED);
        if (locked.isEmpty()) {
            throw ApiProblem.invalidParam(param, "no dataset " + id + " (see GET /v1/datasets)");
        }
        return datasets.findVisibleTo(id, tenant.id()).orElseThrow();
    }
}
