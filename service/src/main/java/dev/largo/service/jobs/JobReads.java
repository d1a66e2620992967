package dev.largo.service.jobs;

import dev.largo.db.datasets.DatasetRepository;
import dev.largo.db.jobs.MetricNames;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.largo.api.model.Checkpoint;
import dev.largo.api.model.CheckpointList;
import dev.largo.api.model.CreateFineTuningJobRequest;
import dev.largo.api.model.Evaluation;
import dev.largo.api.model.EvaluationList;
import dev.largo.api.model.EvaluationSplit;
import dev.largo.api.model.FineTuningJob;
import dev.largo.api.model.FineTuningJobList;
import dev.largo.api.model.FineTuningJobStatus;
import dev.largo.api.model.JobEvent;
import dev.largo.api.model.JobEventList;
import dev.largo.api.model.JobMetric;
import dev.largo.api.model.JobMetricList;
import dev.largo.api.model.SplitKind;
import dev.largo.db.artifacts.ArtifactRef;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.jobs.CheckpointEntity;
import dev.largo.db.jobs.CheckpointRepository;
import dev.largo.db.jobs.EvaluationEntity;
import dev.largo.db.jobs.EvaluationRepository;
import dev.largo.db.jobs.JobEntity;
import dev.largo.db.jobs.JobEventEntity;
import dev.largo.db.jobs.JobEventRepository;
import dev.largo.db.jobs.JobMetricEntity;
import dev.largo.db.jobs.JobMetricRepository;
import dev.largo.db.jobs.JobRepository;
import dev.largo.db.jobs.JobStatus;
import dev.largo.db.jobs.JobTaskEntity;
import dev.largo.db.jobs.JobTaskRepository;
import dev.largo.db.jobs.TaskAccuracyRepository;
import dev.largo.db.support.UnknownCursorException;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.paging.Page;
import dev.largo.service.tenancy.CurrentTenant;
import lombok.RequiredArgsConstructor;

/** Everything a client reads about its jobs: the job, and what its worker reported. */
@Service
@Transactional(readOnly = true)
@RequiredArgsConstructor
public class JobReads {

    private final JobRepository jobs;
    private final JobPages pagesByStatus;
    private final JobEventRepository events;
    private final JobMetricRepository metrics;
    private final CheckpointRepository checkpoints;
    private final EvaluationRepository evaluations;
    private final JobTaskRepository tasks;
    private final TaskAccuracyRepository accuracies;
    private final ArtifactStore artifacts;
    private final JobSpecJson specJson;
    private final ObjectMapper json;
    private final CurrentTenant tenant;
    private final DatasetRepository datasets;

    public FineTuningJob get(UUID id) {
        return toApi(find(id));
    }

    public JobEntity find(UUID id) {
        return jobs.findByIdAndTenantId(id, tenant.id()).orElseThrow(() -> ApiProblem.notFound("fine-tuning job", id));
    }

    public FineTuningJobList list(FineTuningJobStatus status, String after, int limit) {
        UUID cursor = Page.uuidCursor(after);
        List<JobEntity> rows;
        if (status == null) {
            rows = jobs.findPage(tenant.id(), cursor, limit + 1);
        } else {
            JobStatus wanted = JobStatus.fromWire(status.getValue());
            if (cursor == null) {
                rows = pagesByStatus.findFirstPage(tenant.id(), wanted, Limit.of(limit + 1));
            } else {
                Instant cursorTime = jobs.findCreatedAt(tenant.id(), cursor)
                        .orElseThrow(() -> new UnknownCursorException(cursor));
                rows = pagesByStatus.findPageAfter(tenant.id(), wanted, cursorTime, cursor, Limit.of(limit + 1));
            }
        }
        Page<JobEntity> page = Page.of(rows, limit);
        UUID next = page.nextAfter(JobEntity::getId);
        // the task rows of the page's continual jobs, in one query
        Map<UUID, List<JobTaskEntity>> taskRows = new HashMap<>();
        List<UUID> ids = page.items().stream().map(JobEntity::getId).toList();
        for (JobTaskEntity task : ids.isEmpty() ? List.<JobTaskEntity>of()
                : tasks.findByJobIdInOrderByJobIdAscTaskIndexAsc(ids)) {
            taskRows.computeIfAbsent(task.getJobId(), k -> new ArrayList<>()).add(task);
        }
        return new FineTuningJobList()
                ._object(FineTuningJobList.ObjectEnum.LIST)
                .data(page.map(j -> JobViews.toApi(j, specJson.read(j.getSpec()), taskRows.getOrDefault(j.getId(),
                        List.of()))))
                .hasMore(page.hasMore())
                .nextAfter(next == null ? null : next.toString());
    }

    public JobEventList events(UUID jobId, Long after, int limit) {
        find(jobId);
        Page<JobEventEntity> page = Page.of(
                events.findByJobIdAndIdGreaterThanOrderByIdAsc(jobId, after == null ? 0 : after, Limit.of(limit + 1)),
                limit);
        return new JobEventList()
                ._object(JobEventList.ObjectEnum.LIST)
                .data(page.map(this::toApi))
                .hasMore(page.hasMore())
                .nextAfter(page.items().isEmpty() ? after : page.items().get(page.items().size() - 1).getId());
    }

    public JobMetricList metrics(UUID jobId, Long after, int limit, String name) {
        find(jobId);
        if (name != null && !MetricNames.isKnownFilter(name)) {
            throw ApiProblem.badParam("name", "no metric is named \"" + name + "\"; the metrics are "
                    + MetricNames.describe());
        }
        long from = after == null ? 0 : after;
        Limit rows = Limit.of(limit + 1);
        List<JobMetricEntity> found;
        if (name == null) {
            found = metrics.findByJobIdAndIdGreaterThanOrderByIdAsc(jobId, from, rows);
        } else if (name.endsWith("*")) {
            found = metrics.findByNamePrefixAfter(jobId, name.substring(0, name.length() - 1), from, rows);
        } else {
            found = metrics.findByJobIdAndNameAndIdGreaterThanOrderByIdAsc(jobId, name, from, rows);
        }
        Page<JobMetricEntity> page = Page.of(found, limit);
        return new JobMetricList()
                ._object(JobMetricList.ObjectEnum.LIST)
                .data(page.map(m -> new JobMetric(m.getId(), m.getName(), m.getStep(),
                        m.getEpoch() == null ? null : m.getEpoch().doubleValue(), m.getValue(),
                        JobViews.utc(m.getCreatedAt()))))
                .hasMore(page.hasMore())
                .nextAfter(page.items().isEmpty() ? after : page.items().get(page.items().size() - 1).getId());
    }

    public CheckpointList checkpoints(UUID jobId) {
        JobEntity job = find(jobId);
        // a continual job's tasks may each count their steps from zero: list in the order they were written
        List<CheckpointEntity> rows = specJson.read(job.getSpec()).getTasks() == null
                ? checkpoints.findByJobIdOrderByStepAsc(jobId) : checkpoints.findByJobIdOrderByCreatedAtAscStepAsc(jobId);
        List<Checkpoint> data = new ArrayList<>();
        for (CheckpointEntity c : rows) {
            Long size = artifacts.find(c.getArtifactId()).map(ArtifactRef::sizeBytes).orElse(null);
            data.add(new Checkpoint(c.getId(), Checkpoint.ObjectEnum.FINE_TUNING_JOB_CHECKPOINT, jobId, c.getEpoch(),
                    c.getStep(), size, JobViews.utc(c.getCreatedAt())));
        }
        return new CheckpointList()._object(CheckpointList.ObjectEnum.LIST).data(data);
    }

    public EvaluationList evaluations(UUID jobId) {
        CreateFineTuningJobRequest spec = specJson.read(find(jobId).getSpec());
        boolean continual = spec.getTasks() != null;
        Set<String> splitDatasets = new HashSet<>();
        for (EvaluationSplit split : continual ? ContinualViews.allSplits(spec.getTasks()) : spec.getEvaluationSplits()) {
            splitDatasets.add(split.getDataset().toString());
        }
        List<EvaluationEntity> rows = evaluations.findByJobIdOrderByIdAsc(jobId);
        List<Evaluation> data = rows.stream().map(r -> new Evaluation()
                .id(r.getId())
                .split(r.getSplitName())
                .dataset(splitDatasets.contains(r.getSplitName()) ? UUID.fromString(r.getSplitName()) : null)
                .kind(SplitKind.fromValue(r.getKind().wireValue()))
                .domain(r.getDomain())
                .model(Evaluation.ModelEnum.fromValue(r.getModel().wireValue()))
                .epoch(r.getEpoch())
                .accuracy(r.getAccuracy())
                .loss(r.getLoss())
                .ece(r.getEce())
                .count((long) r.getCount())
                .createdAt(JobViews.utc(r.getCreatedAt()))
                .task(r.getTaskIndex())
                .afterTask(r.getAfterTask())).toList();
        if (!continual) {
            return new EvaluationList()
                    ._object(EvaluationList.ObjectEnum.LIST)
                    .data(data)
                    .summary(EvaluationSummaries.summarize(rows, classCount(spec.getTrainingDataset())));
        }
        // the ID/OOD summary of a continual job is that of the model after its latest trained task
        int latest = rows.stream().filter(r -> r.getAfterTask() != null).mapToInt(EvaluationEntity::getAfterTask)
                .max().orElse(-1);
        List<EvaluationEntity> latestRows = rows.stream()
                .filter(r -> r.getAfterTask() == null || r.getAfterTask() == latest).toList();
        return new EvaluationList()
                ._object(EvaluationList.ObjectEnum.LIST)
                .data(data)
                .summary(EvaluationSummaries.summarize(latestRows, classCount(spec.getTasks().get(0).getTrainingDataset())))
                .continual(ContinualViews.matrix(spec.getTasks(), accuracies.findByJobIdOrderByAfterTaskAscTaskIndexAsc(jobId),
                        tasks.findByJobIdOrderByTaskIndexAsc(jobId)));
    }

    /** The task's class count (its training dataset's), for the chance level; null when the dataset is gone. */
    private Integer classCount(UUID trainingDataset) {
        return trainingDataset == null ? null
                : datasets.findById(trainingDataset).map(d -> d.getClassNames().size()).orElse(null);
    }

    private FineTuningJob toApi(JobEntity job) {
        CreateFineTuningJobRequest spec = specJson.read(job.getSpec());
        return JobViews.toApi(job, spec, spec.getTasks() == null ? List.of() : tasks.findByJobIdOrderByTaskIndexAsc(job.getId()));
    }

    private JobEvent toApi(JobEventEntity e) {
        JsonNode data = e.getData() == null ? null : json.readTree(e.getData());
        return new JobEvent()
                .id(e.getId())
                ._object(JobEvent.ObjectEnum.FINE_TUNING_JOB_EVENT)
                .createdAt(JobViews.utc(e.getCreatedAt()))
                .level(JobEvent.LevelEnum.fromValue(e.getLevel().wireValue()))
                .type(e.getType())
                .message(e.getMessage())
                .data(data == null || !data.isObject() ? null
                        : json.convertValue(data, new TypeReference<Map<String, Object>>() { }));
    }
}
