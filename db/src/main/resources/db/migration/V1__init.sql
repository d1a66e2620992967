-- Schema of the LARGO fine-tuning service.
-- Every table a tenant owns carries tenant_id now (default 'local', the single tenant of the default
-- mode), so that multi-tenancy later is a matter of filling the column, not of migrating data.
-- Rows that hang off a job (events, metrics, checkpoints, evaluations) are reached through the job and
-- inherit its tenant.

-- Artifacts: opaque files (dataset archives, model weights, checkpoints, adapters) streamed in chunks.
create table artifacts (
    id           uuid        primary key,
    kind         text        not null,
    filename     text        not null,
    content_type text        not null,
    size_bytes   bigint      not null default 0,
    -- null only while an upload is in progress inside its transaction; committed rows always have it
    sha256       text,
    created_at   timestamptz not null default now()
);

create table artifact_chunks (
    artifact_id uuid  not null references artifacts (id) on delete cascade,
    seq         int   not null,
    data        bytea not null,
    primary key (artifact_id, seq)
);
-- Uploads are archives, images and float tensors that barely compress: store the chunks out of line
-- without trying to compress them (saves CPU on every write).
alter table artifact_chunks alter column data set storage external;

create table datasets (
    id            uuid        primary key,
    tenant_id     text        not null default 'local',
    name          text        not null,
    task_type     text        not null check (task_type in ('image_classification', 'text_classification')),
    format        text        not null check (format in ('imagefolder_zip', 'safetensors', 'jsonl', 'idx')),
    split         text,
    domain        text,
    artifact_id   uuid        not null references artifacts (id),
    size_bytes    bigint      not null,
    sha256        text        not null,
    example_count int         not null,
    class_names   jsonb       not null default '[]',
    label_counts  jsonb       not null default '{}',
    image_height  int,
    image_width   int,
    channels      int,
    created_at    timestamptz not null default now()
);
create index datasets_tenant_page_idx on datasets (tenant_id, created_at desc, id desc);

create table base_models (
    id                 text        primary key,
    tenant_id          text        not null default 'local',
    name               text        not null,
    architecture       text        not null check (architecture in ('vit', 'mlp')),
    built_in           boolean     not null default false,
    config_json        jsonb       not null,
    weights_artifact_id uuid       references artifacts (id),
    parameter_count    bigint      not null,
    num_labels         int         not null,
    image_size         int,
    created_at         timestamptz not null default now()
);
create index base_models_tenant_page_idx on base_models (tenant_id, created_at desc, id desc);

create table jobs (
    id                    uuid             primary key,
    tenant_id             text             not null default 'local',
    status                text             not null
        check (status in ('validating', 'queued', 'running', 'succeeded', 'failed', 'cancelled')),
    base_model_id         text             not null references base_models (id),
    training_dataset_id   uuid             not null references datasets (id),
    spec                  jsonb            not null,
    method_type           text             not null,
    seed                  bigint           not null,
    suffix                text,
    priority              int              not null default 0,
    attempts              int              not null default 0,
    max_attempts          int              not null default 3 check (max_attempts >= 1),
    lease_owner           text,
    lease_expires_at      timestamptz,
    next_attempt_at       timestamptz,
    cancel_requested      boolean          not null default false,
    progress              double precision not null default 0,
    eta_seconds           double precision,
    current_epoch         int,
    current_step          bigint,
    total_steps           bigint,
    error_code            text,
    error_message         text,
    error_param           text,
    fine_tuned_adapter_id uuid,
    created_at            timestamptz      not null default now(),
    started_at            timestamptz,
    finished_at           timestamptz,
    updated_at            timestamptz      not null default now()
);
-- The claim query walks queued jobs in (priority desc, created_at, id) order; this partial index holds
-- exactly those rows, so it stays small however many finished jobs accumulate.
create index jobs_claim_idx on jobs (priority desc, created_at, id)
    where status = 'queued' and not cancel_requested;
-- The reaper looks for running jobs whose lease has expired.
create index jobs_lease_idx on jobs (lease_expires_at) where status = 'running';
create index jobs_tenant_page_idx on jobs (tenant_id, created_at desc, id desc);

create table job_events (
    id         bigserial   primary key,
    job_id     uuid        not null references jobs (id) on delete cascade,
    created_at timestamptz not null default now(),
    level      text        not null check (level in ('debug', 'info', 'warn', 'error')),
    type       text        not null,
    message    text        not null,
    data       jsonb
);
create index job_events_job_idx on job_events (job_id, id);

create table job_metrics (
    id         bigserial        primary key,
    job_id     uuid             not null references jobs (id) on delete cascade,
    created_at timestamptz      not null default now(),
    step       bigint           not null,
    epoch      int,
    name       text             not null,
    value      double precision not null
);
create index job_metrics_job_idx on job_metrics (job_id, id);

create table checkpoints (
    id          uuid        primary key,
    job_id      uuid        not null references jobs (id) on delete cascade,
    epoch       int         not null,
    step        bigint      not null,
    artifact_id uuid        not null references artifacts (id),
    created_at  timestamptz not null default now()
);
create index checkpoints_job_idx on checkpoints (job_id, step);

create table evaluations (
    id         bigserial        primary key,
    job_id     uuid             not null references jobs (id) on delete cascade,
    -- null for the final evaluation after training, the epoch number for per-epoch evaluations
    epoch      int,
    split_name text             not null,
    kind       text             not null check (kind in ('id', 'ood')),
    domain     text,
    model      text             not null check (model in ('fine_tuned', 'base_reference')),
    accuracy   double precision not null,
    loss       double precision,
    ece        double precision,
    count      int              not null,
    created_at timestamptz      not null default now()
);
create index evaluations_job_idx on evaluations (job_id, id);

create table adapters (
    id                 uuid        primary key,
    tenant_id          text        not null default 'local',
    job_id             uuid        not null references jobs (id) on delete cascade,
    base_model_id      text        not null references base_models (id),
    peft_artifact_id   uuid        not null references artifacts (id),
    merged_artifact_id uuid        references artifacts (id),
    method_type        text        not null,
    rank               int         not null,
    created_at         timestamptz not null default now()
);
create index adapters_tenant_page_idx on adapters (tenant_id, created_at desc, id desc);
create index adapters_job_idx on adapters (job_id);

alter table jobs add constraint jobs_adapter_fk
    foreign key (fine_tuned_adapter_id) references adapters (id);

create table idempotency_keys (
    tenant_id       text        not null default 'local',
    key             text        not null,
    request_hash    text        not null,
    resource_type   text        not null,
    resource_id     text        not null,
    response_status int         not null,
    created_at      timestamptz not null default now(),
    primary key (tenant_id, key)
);
