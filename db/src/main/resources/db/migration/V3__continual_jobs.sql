-- Continual fine-tuning (issue #9): a job may train an ordered list of tasks, one after the other, and be
-- extended with more tasks once it has succeeded. The tasks' configuration (name, training dataset,
-- evaluation splits) is part of jobs.spec like everything else a job runs; these tables hold what changes
-- as the job runs: each task's status, progress, adapter and continual metrics, and the accuracy matrix.

-- A continual job has no single training dataset: its tasks name theirs (job_tasks keeps the references).
alter table jobs alter column training_dataset_id drop not null;
-- The task being trained, or the last one trained; null for single-task jobs and before the first task.
alter table jobs add column current_task int;

create table job_tasks (
    job_id              uuid             not null references jobs (id) on delete cascade,
    task_index          int              not null check (task_index >= 0),
    -- like jobs.training_dataset_id: a finished job's records keep referring to what it trained on
    training_dataset_id uuid             not null references datasets (id),
    status              text             not null default 'pending'
        check (status in ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
    progress            double precision not null default 0 check (progress >= 0 and progress <= 1),
    -- each task counts its steps from zero; its metrics are logged after the steps of the tasks before it
    step_offset         bigint,
    -- the PEFT export of the model state after this task
    adapter_id          uuid             references adapters (id),
    -- average accuracy and backward transfer over the tasks seen so far, after this task
    average_accuracy    double precision,
    backward_transfer   double precision,
    started_at          timestamptz,
    finished_at         timestamptz,
    created_at          timestamptz      not null default now(),
    primary key (job_id, task_index)
);
create index job_tasks_training_dataset_idx on job_tasks (training_dataset_id);

-- The accuracy matrix a[after_task][task_index]: after training task after_task, the accuracy on task
-- task_index (the mean over its evaluation splits, as the engine computes it). Columns past after_task are
-- forward transfer.
create table task_accuracies (
    job_id     uuid             not null references jobs (id) on delete cascade,
    after_task int              not null check (after_task >= 0),
    task_index int              not null check (task_index >= 0),
    accuracy   double precision not null,
    created_at timestamptz      not null default now(),
    primary key (job_id, after_task, task_index)
);

-- Evaluation rows of a continual job name the task their split belongs to and the task after which they
-- were evaluated; both null for single-task jobs.
alter table evaluations add column task_index int;
alter table evaluations add column after_task int;
-- Checkpoints of a continual job name the task they were written in (null for single-task jobs).
alter table checkpoints add column task_index int;
