-- When the worker holding a running job last renewed its lease (set by the claim and every heartbeat), so that
-- the service can report how long ago each worker was last heard from (largo_worker_heartbeat_age_seconds)
-- without knowing the lease length each worker was configured with.
alter table jobs add column heartbeat_at timestamptz;
