-- Tenants and their bearer API keys (issue #8).
-- The owned tables keep their free-text tenant_id (no foreign key): 'local' is the tenant of the default
-- mode and 'shared' owns what ships with the service, and neither needs a row here; a row is a tenant an
-- administrator created, whose keys are below.

create table tenants (
    id         text        primary key,
    name       text        not null,
    created_at timestamptz not null default now()
);
create index tenants_page_idx on tenants (created_at desc, id desc);

-- A key is shown once, when it is created; only its SHA-256 is kept (the token is 32 random bytes, so a
-- plain hash is as strong as a slow one), with a short prefix of the token so a list can tell keys apart.
create table api_keys (
    id          uuid        primary key,
    tenant_id   text        not null references tenants (id) on delete cascade,
    name        text,
    prefix      text        not null,
    token_hash  text        not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);
create index api_keys_tenant_idx on api_keys (tenant_id, created_at);

-- The built-in base model(s) and the quick start's sample datasets are read by every tenant: they move
-- from 'local' to the 'shared' owner (dev.largo.db.support.Tenants.SHARED), which no request acts as.
update base_models set tenant_id = 'shared' where built_in;
update datasets set tenant_id = 'shared' where id in (
    '1fcd0e1c-efcc-3d6f-bb83-887bb5c4cefd', -- fashion-train
    '978ee5b0-1e39-394d-9a04-2fc60f6ee119', -- fashion-val
    '60666c56-6dd6-308a-9cc5-0546042e8e49', -- fashion-test-clean
    '7afdc34b-5bac-3406-9e3f-8bb2a41dff5d', -- fashion-test-rotate
    '218261cb-e159-3c4f-9d65-0cc78e13f32f', -- fashion-test-invert
    '1e252182-fa86-31b3-aadf-a1cfe52758d3', -- fashion-test-noise
    'fef7aeef-dd75-336b-88d9-68c05d71673e', -- fashion-test-blur
    '4e0366c8-9f3b-33a7-ba22-b15c8d6b378d'  -- fashion-test-contrast
);
