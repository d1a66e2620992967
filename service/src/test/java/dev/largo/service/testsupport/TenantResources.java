package dev.largo.service.testsupport;

/**
 * What a tenant owns in the security tests: its key, a model it uploaded, a training and an evaluation dataset, a
 * queued job with an event and a metric, the adapter of that job, and a succeeded continual job.
 */
public record TenantResources(ServiceIntegrationTest.TenantKey key, String model, String train, String eval,
        String job, String continual, String adapter) {

    public static final String JOBS = "/v1/fine-tuning/jobs";

    /** A single-task LoRA job on the model, training on one dataset and evaluating (OOD) on another. */
    public static String jobSpec(String baseModel, String trainingDataset, String evalDataset) {
        return """
                {"base_model": "%s", "training_dataset": "%s",
                 "evaluation_splits": [{"dataset": "%s", "kind": "ood", "domain": "noisy"}],
                 "method": {"type": "lora"}, "hyperparameters": {"epochs": 1}}
                """.formatted(baseModel, trainingDataset, evalDataset);
    }

    /** A one-task GORP continual job. */
    public static String continualSpec(String baseModel, String trainingDataset, String evalDataset) {
        return """
                {"base_model": "%s", "tasks": [{"name": "clean", "training_dataset": "%s",
                 "evaluation_splits": [{"dataset": "%s", "kind": "ood", "domain": "noisy"}]}],
                 "method": {"type": "gorp"}, "hyperparameters": {"epochs": 1}}
                """.formatted(baseModel, trainingDataset, evalDataset);
    }

    /** The body of {@code POST .../continue} adding one task on the given datasets. */
    public static String continuation(String trainingDataset, String evalDataset) {
        return """
                {"task": {"training_dataset": "%s", "evaluation_splits": [{"dataset": "%s", "kind": "ood"}]}}
                """.formatted(trainingDataset, evalDataset);
    }
}
