-- Text models (BERT family): the architectures the engine now builds, the tokenizer files a text model
-- carries beside its weights (tokenizer.json required by the service for bert/distilbert, tokenizer_config.json
-- optional), and the licence of a built-in model (all-MiniLM-L6-v2 is Apache-2.0).
alter table base_models drop constraint base_models_architecture_check;
alter table base_models add constraint base_models_architecture_check
    check (architecture in ('vit', 'mlp', 'bert', 'distilbert'));
alter table base_models add column tokenizer_artifact_id uuid references artifacts (id);
alter table base_models add column tokenizer_config_artifact_id uuid references artifacts (id);
alter table base_models add column license text;
