package dev.largo.service.jobs;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import dev.largo.api.model.ContinualTask;
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
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.model.ModelRegistry;
import lombok.RequiredArgsConstructor;
import lombok.AccessLevel;

/**
 * Checks, inside the transaction that creates a job, that what the spec names exists, belongs to the tenant
 * (or is a shared built-in) and fits together, and fills each evaluation split's default domain. Another
 * tenant's id is answered exactly like an unknown one (422 naming the parameter). The datasets are locked
 * {@code FOR SHARE} so that a concurrent delete waits for the job to exist (and then refuses).
 */
@Component
@RequiredArgsConstructor(access = AccessLevel.PACKAGE)
class JobReferences {

    private final BaseModelRepository models;
    private final DatasetRepository datasets;
    private final JdbcTemplate jdbc;
    private final CurrentTenant tenant;

    /**
     * The default LoRA targets of the base model's architecture, or null when the tenant sees no such model (the
     * spec's check then refuses it, naming {@code base_model}) or its config no longer parses.
     */
    List<String> defaultLoraTargets(String baseModel) {
        return models.findVisibleTo(baseModel, tenant.id()).map(model -> {
            try {
                return ModelRegistry.of(ModelConfig.parse(model.getConfigJson())).defaultLoraTargets();
            } catch (RuntimeException e) {
                return null;
            }
        }).orElse(null);
    }

    /** Checks {@code spec} and fills the evaluation splits' domains in place (every task's, for a continual job). */
    void resolve(CreateFineTuningJobRequest spec) {
        BaseModelEntity model = models.findVisibleTo(spec.getBaseModel(), tenant.id())
                .orElseThrow(() -> ApiProblem.invalidParam("base_model", "no base model '" + spec.getBaseModel()
                        + "' (see GET /v1/models)"));
        if (spec.getTasks() == null) {
            resolve(model, spec.getTrainingDataset(), "training_dataset", spec.getEvaluationSplits(), "evaluation_splits");
            return;
        }
        List<ContinualTask> tasks = spec.getTasks();
        DatasetEntity first = null;
        for (int i = 0; i < tasks.size(); i++) {
            DatasetEntity training = resolveTask(model, tasks.get(i), "tasks[" + i + "]");
            if (first == null) {
                first = training;
            } else {
                requireSameClasses(training, first, "tasks[" + i + "].training_dataset");
            }
        }
    }

    /**
     * Checks a task added to the continual job {@code spec} (already resolved when it was created): its own
     * references, and that it fits the job's tasks. The earlier tasks' datasets are locked again, since the
     * worker evaluates every task after the new one.
     *
     * @param param the task's JSON path, for errors
     */
    void resolveAddedTask(CreateFineTuningJobRequest spec, ContinualTask task, String param) {
        BaseModelEntity model = models.findVisibleTo(spec.getBaseModel(), tenant.id())
                .orElseThrow(() -> ApiProblem.conflict("base-model-missing", "base model '" + spec.getBaseModel()
                        + "' of this job no longer exists"));
        DatasetEntity first = null;
        for (int i = 0; i < spec.getTasks().size(); i++) {
            ContinualTask earlier = spec.getTasks().get(i);
            DatasetEntity training = existing(earlier.getTrainingDataset(), "training dataset of task " + i);
            first = first == null ? training : first;
            for (EvaluationSplit split : earlier.getEvaluationSplits()) {
                existing(split.getDataset(), "evaluation split of task " + i);
            }
        }
        DatasetEntity training = resolveTask(model, task, param);
        requireSameClasses(training, first, param + ".training_dataset");
    }

    private DatasetEntity resolveTask(BaseModelEntity model, ContinualTask task, String param) {
        return resolve(model, task.getTrainingDataset(), param + ".training_dataset", task.getEvaluationSplits(),
                param + ".evaluation_splits");
    }

    /** One training dataset and its evaluation splits; returns the training dataset. */
    private DatasetEntity resolve(BaseModelEntity model, UUID trainingId, String trainingParam,
            List<EvaluationSplit> splits, String splitsParam) {
        DatasetEntity training = dataset(trainingId, trainingParam);
        DatasetTaskType modelTask = model.getArchitecture().taskType();
        if (training.getTaskType() != modelTask) {
            throw ApiProblem.invalidParam(trainingParam, "is a " + training.getTaskType().wireValue()
                    + " dataset, but base model '" + model.getId() + "' (" + model.getArchitecture().wireValue()
                    + ") is for " + modelTask.wireValue());
        }
        Set<String> trainingLabels = new HashSet<>(training.getClassNames());
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < splits.size(); i++) {
            EvaluationSplit split = splits.get(i);
            String param = splitsParam + "[" + i + "].dataset";
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
                        + (unknown.size() > 5 ? ", ..." : "") + ". " + LabelMismatchHint.of(training, eval));
            }
            if (split.getDomain() == null) {
                split.setDomain(eval.getDomain() != null ? eval.getDomain() : domainTag(eval));
            }
        }
        return training;
    }

    /** The tasks of a continual job train one classifier head: the same classes in every task (domain-incremental). */
    private static void requireSameClasses(DatasetEntity training, DatasetEntity first, String param) {
        if (!new HashSet<>(training.getClassNames()).equals(new HashSet<>(first.getClassNames()))) {
            throw ApiProblem.invalidParam(param, "has the classes " + training.getClassNames() + " but the first task's"
                    + " training dataset has " + first.getClassNames() + "; the tasks of a continual job share one"
                    + " classifier head, so they need the same classes");
        }
    }

    /** A dataset an existing job refers to, locked like the new ones; 409 if it was deleted meanwhile. */
    private DatasetEntity existing(UUID id, String what) {
        if (lock(id).isEmpty()) {
            throw ApiProblem.conflict("dataset-missing", "dataset " + id + " (" + what + ") no longer exists; the job"
                    + " evaluates every earlier task after the new one");
        }
        return datasets.findVisibleTo(id, tenant.id()).orElseThrow();
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
        if (lock(id).isEmpty()) {
            throw ApiProblem.invalidParam(param, "no dataset " + id + " (see GET /v1/datasets)");
        }
        return datasets.findVisibleTo(id, tenant.id()).orElseThrow();
    }

    private List<UUID> lock(UUID id) {
        return jdbc.queryForList("select id from datasets where id = ? and tenant_id in (?, ?) for share",
                UUID.class, id, tenant.id(), Tenants.SHARED);
    }
}
