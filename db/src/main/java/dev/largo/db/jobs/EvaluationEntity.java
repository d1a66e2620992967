package dev.largo.db.jobs;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;
import lombok.Getter;

/** Accuracy, loss and calibration of one model on one evaluation split, per epoch or final (epoch null). */
@Getter
@Entity
@Table(name = "evaluations")
public class EvaluationEntity extends JobLogRow {

    /** Null for the final evaluation after training. */
    private Integer epoch;

    @Column(name = "split_name", nullable = false)
    private String splitName;

    @Convert(converter = EvaluationKindConverter.class)
    @Column(nullable = false)
    private EvaluationKind kind;

    private String domain;

    @Convert(converter = EvaluatedModelConverter.class)
    @Column(nullable = false)
    private EvaluatedModel model;

    @Column(nullable = false)
    private double accuracy;

    private Double loss;

    private Double ece;

    @Column(nullable = false)
    private int count;

    /** Continual jobs: the task the split belongs to; null otherwise. */
    @Column(name = "task_index")
    private Integer taskIndex;

    /** Continual jobs: the task after whose training the split was evaluated; null otherwise. */
    @Column(name = "after_task")
    private Integer afterTask;

    protected EvaluationEntity() {
    }

    public EvaluationEntity(UUID jobId, Integer epoch, String splitName, EvaluationKind kind, String domain,
            EvaluatedModel model, double accuracy, Double loss, Double ece, int count) {
        super(jobId);
        this.epoch = epoch;
        this.splitName = splitName;
        this.kind = kind;
        this.domain = domain;
        this.model = model;
        this.accuracy = accuracy;
        this.loss = loss;
        this.ece = ece;
        this.count = count;
    }

    /** Files the row under a continual job's task (the split's) and the task after which it was evaluated. */
    public EvaluationEntity forTask(int taskIndex, int afterTask) {
        this.taskIndex = taskIndex;
        this.afterTask = afterTask;
        return this;
    }
}
