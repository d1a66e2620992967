package dev.largo.worker.engine.method.largo;

import dev.largo.worker.engine.support.InvalidSettingException;
/**
 * Settings of the regulated projection (worker/engine/docs/largo.md §2).
 *
 * @param kappa annealing factor applied to positive hypergradients (those that tighten the radius),
 *     in [0, 1]; 1 = no annealing
 * @param mu learning rate of the radius' own Adam; 0 freezes every radius at its initial value
 * @param norm how deviations are measured
 * @param gammaInit radius at the first step (FTP: 1e-8, i.e. start at the pretrained value)
 * @param eps added to every deviation norm, lower bound of the radius, and the radius Adam's epsilon
 * @param beta1 the radius Adam's first-moment decay
 * @param beta2 the radius Adam's second-moment decay
 * @param capRadiusAtDeviation clip gamma to at most the largest current row deviation after each
 *     update (worker/engine/docs/largo.md §2 and FTP's code do). A radius above every deviation projects nothing either way;
 *     the cap only stops gamma from drifting far beyond where it has any effect, so that a later
 *     tightening acts at once. It also means a radius can grow by at most about mu per step beyond
 *     the current deviations, and with mu = 0 it freezes at the second step's largest deviation.
 */
public record LargoConfig(float kappa, float mu, DeviationNorm norm, float gammaInit, float eps, float beta1,
                          float beta2, boolean capRadiusAtDeviation) {

    public static final LargoConfig DEFAULT = new LargoConfig(1.0f, 1e-2f, DeviationNorm.L1_ROW, 1e-8f, 1e-8f,
            0.9f, 0.999f, true);

    public LargoConfig {
        if (!(kappa >= 0 && kappa <= 1)) {
            throw new InvalidSettingException("method.largo.kappa", "kappa must be in [0, 1], got " + kappa);
        }
        if (!(mu >= 0)) {
            throw new InvalidSettingException("method.largo.mu", "mu must be >= 0, got " + mu);
        }
        if (!(gammaInit > 0) || !(eps > 0)) {
            throw new InvalidSettingException("method.largo.gamma_init", "gamma_init and eps must be positive");
        }
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
            throw new InvalidSettingException("method.largo", "betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (norm == null) {
            throw new InvalidSettingException("method.largo.norm", "norm is required");
        }
    }

    public LargoConfig withMu(float newMu) {
        return new LargoConfig(kappa, newMu, norm, gammaInit, eps, beta1, beta2, capRadiusAtDeviation);
    }

    public LargoConfig withKappa(float newKappa) {
        return new LargoConfig(newKappa, mu, norm, gammaInit, eps, beta1, beta2, capRadiusAtDeviation);
    }

    public LargoConfig withNorm(DeviationNorm newNorm) {
        return new LargoConfig(kappa, mu, newNorm, gammaInit, eps, beta1, beta2, capRadiusAtDeviation);
    }

    public LargoConfig withGammaInit(float newGammaInit) {
        return new LargoConfig(kappa, mu, norm, newGammaInit, eps, beta1, beta2, capRadiusAtDeviation);
    }

    public LargoConfig withCapRadiusAtDeviation(boolean cap) {
        return new LargoConfig(kappa, mu, norm, gammaInit, eps, beta1, beta2, cap);
    }
}
