package dev.largo.service.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import dev.largo.api.model.CreateFineTuningJobRequest;
import dev.largo.api.model.FineTuningJob;
import dev.largo.api.model.FineTuningJobStatus;
import dev.largo.api.model.JobError;
import dev.largo.db.jobs.JobEntity;
import dev.largo.db.jobs.JobTaskEntity;

/** The API's view of a job: its row (lifecycle) and its stored spec (configuration). */
final class JobViews {

    private JobViews() {
    }

    /** @param tasks a continual job's task rows (empty for other jobs) */
    static FineTuningJob toApi(JobEntity e, CreateFineTuningJobRequest spec, List<JobTaskEntity> tasks) {
        boolean continual = spec.getTasks() != null;
        JobError error = e.getErrorCode() == null ? null
                : new JobError(e.getErrorCode(), e.getErrorMessage() == null ? "" : e.getErrorMessage(), e.getErrorParam());
        return new FineTuningJob()
                .id(e.getId())
                ._object(FineTuningJob.ObjectEnum.FINE_TUNING_JOB)
                .status(FineTuningJobStatus.fromValue(e.getStatus().wireValue()))
                .baseModel(e.getBaseModelId())
                .trainingDataset(e.getTrainingDatasetId())
                .evaluationSplits(continual ? new ArrayList<>() : spec.getEvaluationSplits())
                .tasks(continual ? ContinualViews.tasks(spec.getTasks(), tasks, e.getStatus()) : null)
                .currentTask(continual ? e.getCurrentTask() : null)
                .method(spec.getMethod())
                .hyperparameters(spec.getHyperparameters())
                .seed(e.getSeed())
                .suffix(e.getSuffix())
                .metadata(spec.getMetadata() == null ? new TreeMap<>() : spec.getMetadata())
                .progress(Math.max(0.0, Math.min(1.0, e.getProgress())))
                .etaSeconds(e.getEtaSeconds() == null ? null : Math.round(e.getEtaSeconds()))
                .currentEpoch(e.getCurrentEpoch() == null ? 0 : e.getCurrentEpoch())
                .currentStep(e.getCurrentStep() == null ? 0L : e.getCurrentStep())
                .totalSteps(e.getTotalSteps())
                .attempts(e.getAttempts())
                .cancelRequested(e.isCancelRequested())
                .createdAt(utc(e.getCreatedAt()))
                .startedAt(utc(e.getStartedAt()))
                .finishedAt(utc(e.getFinishedAt()))
                .error(error)
                .fineTunedAdapter(e.getFineTunedAdapterId());
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
