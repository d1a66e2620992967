-- An idempotent repeat answers with the first response (Stripe, the IETF Idempotency-Key draft), not with the
-- resource as it is now: keep that response's body. Null for keys recorded before this column existed.
alter table idempotency_keys add column response_body text;

-- The Hugging Face Hub id an uploaded base model came from; adapters name it in base_model_name_or_path.
alter table base_models add column hub_id text;
