package dev.largo.worker.engine.train;

import dev.largo.worker.engine.support.InvalidSettingException;
import dev.largo.worker.engine.method.largo.DeviationNorm;
import dev.largo.worker.engine.method.largo.LargoConfig;
import dev.largo.worker.engine.method.lora.LoraConfig;
import dev.largo.worker.engine.method.lora.LoraInit;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads the {@code method}, {@code hyperparameters} and {@code seed} objects of a job, with the REST API's
 * snake_case field names (CreateFineTuningJobRequest), filling every default. The worker hands the stored
 * request's JSON to these; the local CLI reads them from job.json. Bad values raise
 * {@link InvalidSettingException} carrying the JSON path.
 */
public final class JobJson {

    private JobJson() {
    }

    /** {@code {"type": ..., "lora": {r, alpha, target_modules, init}, "largo": {kappa, mu, norm, gamma_init}}}. */
    public static MethodConfig method(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InvalidSettingException("method", "method must be an object with a type");
        }
        MethodType type = MethodType.fromId(text(node, "type", "method.type", null));
        LoraConfig lora = null;
        if (type.usesLora()) {
            JsonNode l = node.path("lora");
            int r = integer(l, "r", "method.lora.r", LoraConfig.DEFAULT_R);
            double alpha = number(l, "alpha", "method.lora.alpha", LoraConfig.DEFAULT_ALPHA);
            List<String> targets = LoraConfig.DEFAULT_TARGETS;
            if (l.has("target_modules") && !l.get("target_modules").isNull()) {
                JsonNode array = l.get("target_modules");
                if (!array.isArray()) {
                    throw new InvalidSettingException("method.lora.target_modules",
                            "method.lora.target_modules must be a list of module names");
                }
                targets = new ArrayList<>();
                for (JsonNode target : array) {
                    targets.add(target.asString());
                }
            }
            String init = text(l, "init", "method.lora.init", type.defaultInit().id());
            lora = new LoraConfig(r, alpha, targets, LoraInit.fromId(init));
        } else if (node.has("lora") && !node.get("lora").isNull()) {
            throw new InvalidSettingException("method.lora",
                    "method.lora applies to lora, pissa and largo, not " + type.id());
        }
        LargoConfig largo = null;
        if (type.projected()) {
            JsonNode g = node.path("largo");
            LargoConfig d = LargoConfig.DEFAULT;
            largo = new LargoConfig((float) number(g, "kappa", "method.largo.kappa", d.kappa()),
                    (float) number(g, "mu", "method.largo.mu", d.mu()),
                    DeviationNorm.fromId(text(g, "norm", "method.largo.norm", d.norm().id())),
                    (float) number(g, "gamma_init", "method.largo.gamma_init", d.gammaInit()), d.eps(), d.beta1(),
                    d.beta2(), d.capRadiusAtDeviation());
        } else if (node.has("largo") && !node.get("largo").isNull()) {
            throw new InvalidSettingException("method.largo",
                    "method.largo applies to largo and ftp, not " + type.id());
        }
        return new MethodConfig(type, lora, largo);
    }

    /** The hyperparameters object (may be absent: all defaults); learning_rate defaults per method. */
    public static Hyperparameters hyperparameters(JsonNode node, MethodType method) {
        JsonNode h = node == null ? null : node;
        Hyperparameters d = Hyperparameters.defaults(method);
        return new Hyperparameters(
                integer(h, "epochs", "hyperparameters.epochs", d.epochs()),
                integer(h, "batch_size", "hyperparameters.batch_size", d.batchSize()),
                number(h, "learning_rate", "hyperparameters.learning_rate", d.learningRate()),
                number(h, "weight_decay", "hyperparameters.weight_decay", d.weightDecay()),
                number(h, "warmup_ratio", "hyperparameters.warmup_ratio", d.warmupRatio()),
                number(h, "grad_clip", "hyperparameters.grad_clip", d.gradClip()),
                integer(h, "head_warmup_epochs", "hyperparameters.head_warmup_epochs", d.headWarmupEpochs()),
                integer(h, "eval_every_epochs", "hyperparameters.eval_every_epochs", d.evalEveryEpochs()),
                integer(h, "checkpoint_every_epochs", "hyperparameters.checkpoint_every_epochs",
                        d.checkpointEveryEpochs()),
                // text models only; a job stored before it existed reads the default
                integer(h, "max_seq_length", "hyperparameters.max_seq_length", d.maxSeqLength()));
    }

    /** {@code seed} (default 0). */
    public static long seed(JsonNode job) {
        JsonNode seed = job == null ? null : job.get("seed");
        if (seed == null || seed.isNull()) {
            return 0;
        }
        if (!seed.isIntegralNumber() || seed.longValue() < 0) {
            throw new InvalidSettingException("seed", "seed must be a non-negative integer, found " + seed);
        }
        return seed.longValue();
    }

    private static String text(JsonNode node, String field, String path, String fallback) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            if (fallback == null) {
                throw new InvalidSettingException(path, path + " is required");
            }
            return fallback;
        }
        if (!value.isString()) {
            throw new InvalidSettingException(path, path + " must be a string, found " + value);
        }
        return value.stringValue();
    }

    private static int integer(JsonNode node, String field, String path, int fallback) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidSettingException(path, path + " must be an integer, found " + value);
        }
        return value.intValue();
    }

    private static double number(JsonNode node, String field, String path, double fallback) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw new InvalidSettingException(path, path + " must be a number, found " + value);
        }
        return value.doubleValue();
    }
}
