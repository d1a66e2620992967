package dev.largo.service.frontier;

import dev.largo.api.model.Frontier;
import dev.largo.api.model.FrontierPoint;
import dev.largo.api.model.FrontierSplit;
import dev.largo.db.frontier.FrontierQueue;
import dev.largo.db.frontier.FrontierRecord;
import dev.largo.db.jobs.JobEntity;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.jobs.JobReads;
import dev.largo.worker.engine.support.Json;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * The API view of a frontier evaluation: progress, the points the worker stored (with each split's kind and domain
 * from the job's spec), the job's base reference, and the recommended alpha at the asked tolerance.
 */
@Service
public class FrontierViews {

    private final FrontierQueue queue;
    private final JobReads jobs;

    public FrontierViews(FrontierQueue queue, JobReads jobs) {
        this.queue = queue;
        this.jobs = jobs;
    }

    /** @param tolerance the recommendation's tolerance, or null for the one the request gave */
    public Frontier get(UUID jobId, Double tolerance) {
        JobEntity job = jobs.find(jobId);
        if (tolerance != null && !(tolerance >= 0 && tolerance <= 1)) {
            throw ApiProblem.badParam("tolerance", "must be in [0, 1], got " + tolerance);
        }
        FrontierRecord record = queue.find(jobId).orElseThrow(() -> new ApiProblem(
                org.springframework.http.HttpStatus.NOT_FOUND, "not-found", "Not found", "job " + jobId
                + " has no frontier evaluation yet: POST /v1/fine-tuning/jobs/" + jobId + "/frontier to request one",
                List.of()));
        List<Double> alphas = Json.MAPPER.readValue(record.alphasJson(), new TypeReference<List<Double>>() { });
        List<Map<String, Object>> stored = Json.MAPPER.readValue(record.pointsJson(),
                new TypeReference<List<Map<String, Object>>>() { });
        Map<String, String[]> splits = splitTags(job.getSpec());
        List<FrontierPoint> points = new ArrayList<>();
        List<dev.largo.worker.engine.frontier.FrontierPoint> curve = new ArrayList<>();
        for (Map<String, Object> point : stored) {
            FrontierPoint view = new FrontierPoint()
                    .alpha(number(point.get("alpha")))
                    .idAccuracy(number(point.get("id_accuracy")))
                    .oodMeanAccuracy(number(point.get("ood_mean_accuracy")))
                    .oodWorstAccuracy(number(point.get("ood_worst_accuracy")));
            Map<String, Double> bySplit = new LinkedHashMap<>();
            @SuppressWarnings("unchecked")
            Map<String, Object> accuracies = (Map<String, Object>) point.getOrDefault("splits", Map.of());
            accuracies.forEach((name, accuracy) -> {
                String[] tags = splits.getOrDefault(name, new String[2]);
                view.addSplitsItem(new FrontierSplit().split(name).accuracy(number(accuracy))
                        .kind(tags[0] == null ? null : FrontierSplit.KindEnum.fromValue(tags[0])).domain(tags[1]));
                bySplit.put(name, number(accuracy));
            });
            points.add(view);
            curve.add(new dev.largo.worker.engine.frontier.FrontierPoint(view.getAlpha(), view.getIdAccuracy(),
                    view.getOodMeanAccuracy(), view.getOodWorstAccuracy(), bySplit));
        }
        double used = tolerance == null ? record.tolerance() : tolerance;
        Double recommended = FrontierRecord.SUCCEEDED.equals(record.status()) && !curve.isEmpty()
                ? new dev.largo.worker.engine.frontier.Frontier(curve).recommend(used)
                        .map(dev.largo.worker.engine.frontier.FrontierPoint::alpha).orElse(null)
                : null;
        String status = record.leaseExpired() && record.attempts() >= record.maxAttempts() ? FrontierRecord.FAILED
                : record.status();
        String error = record.errorMessage() != null ? record.errorMessage()
                : FrontierRecord.FAILED.equals(status) ? "the evaluation's worker stopped " + record.attempts()
                + " times without finishing" : null;
        return new Frontier()
                ._object(Frontier.ObjectEnum.FINE_TUNING_FRONTIER)
                .fineTuningJobId(jobId)
                .status(Frontier.StatusEnum.fromValue(status))
                .progress(alphas.isEmpty() ? 0 : (double) points.size() / alphas.size())
                .pointsDone(points.size())
                .pointsTotal(alphas.size())
                .alphas(alphas)
                .tolerance(used)
                .points(points)
                .recommendedAlpha(recommended)
                .baseReference(jobs.evaluations(jobId).getSummary().getBaseReference())
                .error(error)
                .createdAt(record.createdAt().atOffset(ZoneOffset.UTC))
                .finishedAt(record.finishedAt() == null ? null : record.finishedAt().atOffset(ZoneOffset.UTC));
    }

    /** Each evaluation split's {kind, domain} by its name (the dataset id), from the job's spec. */
    private static Map<String, String[]> splitTags(String specJson) {
        Map<String, String[]> tags = new LinkedHashMap<>();
        JsonNode spec = Json.MAPPER.readTree(specJson);
        for (JsonNode split : spec.path("evaluation_splits")) {
            String domain = split.path("domain").isMissingNode() || split.path("domain").isNull() ? null
                    : split.path("domain").asString();
            tags.put(split.path("dataset").asString(), new String[] {split.path("kind").asString(null), domain});
        }
        return tags;
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
