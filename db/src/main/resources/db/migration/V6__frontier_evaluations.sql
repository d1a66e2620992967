-- The robustness frontier (issue #16): WiSE-FT's weight-space interpolation of a finished job, evaluated at a grid
-- of alphas on every evaluation split by a worker, queued like training.

-- The task head as it was when the method's tensors began to train (the seeded new head, or the probed one after
-- a head warm-up): with the base weights it is the interpolation's start. Null for adapters of older runs and of
-- continual jobs, which cannot be interpolated.
alter table adapters add column initial_head_artifact_id uuid references artifacts (id);

-- One evaluation per job (a new request replaces a finished one). The row is its own queue entry: workers claim
-- queued rows, or running rows whose lease expired, with FOR UPDATE SKIP LOCKED, and every write they make is
-- conditional on lease_owner.
create table frontier_evaluations (
    id               uuid             primary key,
    job_id           uuid             not null unique references jobs (id) on delete cascade,
    tenant_id        text             not null default 'local',
    status           text             not null check (status in ('queued', 'running', 'succeeded', 'failed')),
    alphas           jsonb            not null,
    tolerance        double precision not null check (tolerance >= 0 and tolerance <= 1),
    -- the curve so far: one JSON object per evaluated alpha (alpha, id, ood mean and worst, per split)
    points           jsonb            not null default '[]',
    attempts         int              not null default 0,
    max_attempts     int              not null default 3,
    lease_owner      text,
    lease_expires_at timestamptz,
    error_message    text,
    created_at       timestamptz      not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz      not null default now()
);
create index frontier_evaluations_claim_idx on frontier_evaluations (created_at, id)
    where status in ('queued', 'running');
