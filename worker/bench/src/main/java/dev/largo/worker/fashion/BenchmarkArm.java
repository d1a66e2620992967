package dev.largo.worker.fashion;

import dev.largo.worker.engine.method.largo.DeviationNorm;
import dev.largo.worker.engine.method.largo.LargoConfig;
import dev.largo.worker.engine.method.largo.RadiusScale;
import dev.largo.worker.engine.method.lora.LoraConfig;
import dev.largo.worker.engine.method.lora.LoraInit;
import dev.largo.worker.engine.train.MethodConfig;
import dev.largo.worker.engine.train.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of the benchmark table: a method with its worker/engine/docs/largo.md §3 defaults, optionally changed in one setting
 * (init, mu, kappa, norm) or preceded by a head-only warm-up. Variants train with the learning rate their
 * method's sweep chose.
 *
 * @param name the row's label
 * @param type the method
 * @param init LoRA init replacing the method's default (largo only), or null
 * @param mu the projection radius' learning rate replacing the default, or null
 * @param kappa annealing factor replacing the default, or null
 * @param norm deviation norm replacing the default, or null
 * @param headWarmup whether the head trains alone for {@code head_warmup_epochs} epochs first (LP-FT)
 * @param radius the radius unit replacing the default, or null
 * @param radiusOnSchedule whether gamma's rate follows the learning-rate schedule, or null for the default
 * @param unclippedHypergradient whether the hypergradient uses the unclipped gradient, or null for the default
 */
public record BenchmarkArm(String name, MethodType type, LoraInit init, Float mu, Float kappa, DeviationNorm norm,
                           boolean headWarmup, RadiusScale radius, Boolean radiusOnSchedule,
                           Boolean unclippedHypergradient) {

    public BenchmarkArm(String name, MethodType type, LoraInit init, Float mu, Float kappa, DeviationNorm norm,
                        boolean headWarmup) {
        this(name, type, init, mu, kappa, norm, headWarmup, null, null, null);
    }

    /** The six methods of worker/engine/docs/largo.md §3 with their defaults, in the table's order. */
    public static List<BenchmarkArm> methods() {
        List<BenchmarkArm> arms = new ArrayList<>();
        for (MethodType type : MethodType.values()) {
            arms.add(of(type));
        }
        return List.copyOf(arms);
    }

    /**
     * The variants BENCHMARKS.md asks about: head warm-up before lora and largo (the reference run's largest
     * OOD lever), and largo with the minor-singular init, a weaker radius learning rate, annealing, and the
     * other deviation norms.
     */
    public static List<BenchmarkArm> variants() {
        BenchmarkArm largo = of(MethodType.LARGO);
        return List.of(
                new BenchmarkArm("lora + head warm-up", MethodType.LORA, null, null, null, null, true),
                new BenchmarkArm("largo + head warm-up", MethodType.LARGO, null, null, null, null, true),
                largo.renamed("largo, init svd_minor").withInit(LoraInit.SVD_MINOR),
                largo.renamed("largo, mu 1e-3").withMu(1e-3f),
                largo.renamed("largo, kappa 0.5").withKappa(0.5f),
                largo.renamed("largo, norm l2_row").withNorm(DeviationNorm.L2_ROW),
                largo.renamed("largo, norm frobenius").withNorm(DeviationNorm.FROBENIUS));
    }

    public static BenchmarkArm of(MethodType type) {
        return new BenchmarkArm(type.id(), type, null, null, null, null, false);
    }

    /**
     * The research pass of issue #16 on LARGO (screened with one seed on the ID validation split): the radius in a
     * scale-aware unit (per element, relative to the row's initial norm, each at the default mu and a smaller one),
     * gamma's rate on the learning-rate schedule, the hypergradient from the unclipped gradient, and LP-FT first.
     */
    public static List<BenchmarkArm> research() {
        BenchmarkArm largo = of(MethodType.LARGO);
        return List.of(
                largo.renamed("largo, radius per_element").withRadius(RadiusScale.PER_ELEMENT),
                largo.renamed("largo, radius per_element, mu 1e-4").withRadius(RadiusScale.PER_ELEMENT).withMu(1e-4f),
                largo.renamed("largo, radius relative").withRadius(RadiusScale.RELATIVE),
                largo.renamed("largo, radius relative, mu 1e-3").withRadius(RadiusScale.RELATIVE).withMu(1e-3f),
                largo.renamed("largo, gamma on schedule").withRadiusOnSchedule(true),
                largo.renamed("largo, unclipped hypergradient").withUnclippedHypergradient(true),
                new BenchmarkArm("largo + head warm-up", MethodType.LARGO, null, null, null, null, true),
                new BenchmarkArm("lora + head warm-up", MethodType.LORA, null, null, null, null, true),
                new BenchmarkArm("full + head warm-up", MethodType.FULL, null, null, null, null, true));
    }

    /** Every arm this class knows (methods, variants, research), by {@link #slug()}. */
    public static java.util.Map<String, BenchmarkArm> bySlug() {
        java.util.Map<String, BenchmarkArm> all = new java.util.LinkedHashMap<>();
        for (List<BenchmarkArm> list : List.of(methods(), variants(), research())) {
            list.forEach(arm -> all.putIfAbsent(arm.slug(), arm));
        }
        return all;
    }

    /** The engine's method config: the method's defaults with this arm's changes. */
    public MethodConfig methodConfig() {
        return methodConfig(MethodConfig.defaults(type));
    }

    /** As {@link #methodConfig()} on a model whose architecture's default LoRA targets are {@code loraTargets}. */
    public MethodConfig methodConfig(List<String> loraTargets) {
        return methodConfig(MethodConfig.defaults(type, loraTargets));
    }

    private MethodConfig methodConfig(MethodConfig defaults) {
        LoraConfig lora = defaults.lora();
        if (init != null) {
            lora = new LoraConfig(lora.r(), lora.alpha(), lora.targetModules(), init);
        }
        LargoConfig largo = defaults.largo();
        if (largo != null) {
            largo = mu == null ? largo : largo.withMu(mu);
            largo = kappa == null ? largo : largo.withKappa(kappa);
            largo = norm == null ? largo : largo.withNorm(norm);
            largo = radius == null ? largo : largo.withRadius(radius);
            largo = radiusOnSchedule == null ? largo : largo.withRadiusOnSchedule(radiusOnSchedule);
            largo = unclippedHypergradient == null ? largo : largo.withUnclippedHypergradient(unclippedHypergradient);
        } else if (mu != null || kappa != null || norm != null || radius != null || radiusOnSchedule != null
                || unclippedHypergradient != null) {
            throw new IllegalArgumentException(name + ": projection settings apply only to methods that project");
        }
        return new MethodConfig(type, lora, largo);
    }

    /** Whether this is one of the six plain methods. */
    public boolean isMethodDefault() {
        return equals(of(type));
    }

    /** A file-name-safe form of the name ("largo, mu 1e-3" -> "largo-mu-1e-3"). */
    public String slug() {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("(^-|-$)", "");
    }

    BenchmarkArm renamed(String newName) {
        return new BenchmarkArm(newName, type, init, mu, kappa, norm, headWarmup, radius, radiusOnSchedule,
                unclippedHypergradient);
    }

    BenchmarkArm withInit(LoraInit newInit) {
        return new BenchmarkArm(name, type, newInit, mu, kappa, norm, headWarmup, radius, radiusOnSchedule,
                unclippedHypergradient);
    }

    BenchmarkArm withMu(float newMu) {
        return new BenchmarkArm(name, type, init, newMu, kappa, norm, headWarmup, radius, radiusOnSchedule,
                unclippedHypergradient);
    }

    BenchmarkArm withKappa(float newKappa) {
        return new BenchmarkArm(name, type, init, mu, newKappa, norm, headWarmup, radius, radiusOnSchedule,
                unclippedHypergradient);
    }

    BenchmarkArm withNorm(DeviationNorm newNorm) {
        return new BenchmarkArm(name, type, init, mu, kappa, newNorm, headWarmup, radius, radiusOnSchedule,
                unclippedHypergradient);
    }

    BenchmarkArm withRadius(RadiusScale newRadius) {
        return new BenchmarkArm(name, type, init, mu, kappa, norm, headWarmup, newRadius, radiusOnSchedule,
                unclippedHypergradient);
    }

    BenchmarkArm withRadiusOnSchedule(boolean onSchedule) {
        return new BenchmarkArm(name, type, init, mu, kappa, norm, headWarmup, radius, onSchedule,
                unclippedHypergradient);
    }

    BenchmarkArm withUnclippedHypergradient(boolean unclipped) {
        return new BenchmarkArm(name, type, init, mu, kappa, norm, headWarmup, radius, radiusOnSchedule, unclipped);
    }

    BenchmarkArm withHeadWarmup(boolean warmup) {
        return new BenchmarkArm(name, type, init, mu, kappa, norm, warmup, radius, radiusOnSchedule,
                unclippedHypergradient);
    }
}
