package dev.largo.worker.engine.testing;

import dev.largo.worker.engine.model.vit.VitConfig;
import java.util.Map;

/**
 * A straightforward double-precision ViTForImageClassification forward pass written from the Hugging Face
 * definition (loops, no engine), to check the engine's model against.
 */
public final class ReferenceVit {

    private final VitConfig c;
    private final Map<String, double[]> t;

    public ReferenceVit(VitConfig config, Map<String, double[]> tensors) {
        this.c = config;
        this.t = tensors;
    }

    /** @param pixels [N][C*H*W] in C, H, W order */
    public double[][] logits(double[][] pixels) {
        double[][] out = new double[pixels.length][];
        for (int n = 0; n < pixels.length; n++) {
            out[n] = logitsOne(pixels[n]);
        }
        return out;
    }

    private double[] logitsOne(double[] image) {
        int d = c.hiddenSize();
        int p = c.patchSize();
        int side = c.imageSize() / p;
        int tokens = side * side + 1;
        double[][] x = new double[tokens][d];
        double[] projW = t.get("vit.embeddings.patch_embeddings.projection.weight");
        double[] projB = t.get("vit.embeddings.patch_embeddings.projection.bias");
        double[] cls = t.get("vit.embeddings.cls_token");
        double[] pos = t.get("vit.embeddings.position_embeddings");
        int img = c.imageSize();
        for (int k = 0; k < d; k++) {
            x[0][k] = cls[k];
        }
        for (int pi = 0; pi < side; pi++) {
            for (int pj = 0; pj < side; pj++) {
                double[] e = x[1 + pi * side + pj];
                for (int k = 0; k < d; k++) {
                    double s = projB[k];
                    for (int ch = 0; ch < c.numChannels(); ch++) {
                        for (int a = 0; a < p; a++) {
                            for (int b = 0; b < p; b++) {
                                s += projW[((k * c.numChannels() + ch) * p + a) * p + b]
                                        * image[(ch * img + pi * p + a) * img + pj * p + b];
                            }
                        }
                    }
                    e[k] = s;
                }
            }
        }
        for (int i = 0; i < tokens; i++) {
            for (int k = 0; k < d; k++) {
                x[i][k] += pos[i * d + k];
            }
        }
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String pre = "vit.encoder.layer." + l + ".";
            double[][] h = layerNorm(x, pre + "layernorm_before");
            double[][] q = linear(h, pre + "attention.attention.query");
            double[][] kk = linear(h, pre + "attention.attention.key");
            double[][] v = linear(h, pre + "attention.attention.value");
            double[][] ctx = new double[tokens][d];
            int heads = c.numAttentionHeads();
            int dh = d / heads;
            for (int hh = 0; hh < heads; hh++) {
                for (int i = 0; i < tokens; i++) {
                    double[] scores = new double[tokens];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < tokens; j++) {
                        double s = 0;
                        for (int m = 0; m < dh; m++) {
                            s += q[i][hh * dh + m] * kk[j][hh * dh + m];
                        }
                        scores[j] = s / Math.sqrt(dh);
                        max = Math.max(max, scores[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < tokens; j++) {
                        scores[j] = Math.exp(scores[j] - max);
                        z += scores[j];
                    }
                    for (int j = 0; j < tokens; j++) {
                        for (int m = 0; m < dh; m++) {
                            ctx[i][hh * dh + m] += scores[j] / z * v[j][hh * dh + m];
                        }
                    }
                }
            }
            add(x, linear(ctx, pre + "attention.output.dense"));
            double[][] h2 = layerNorm(x, pre + "layernorm_after");
            double[][] inner = linear(h2, pre + "intermediate.dense");
            for (double[] row : inner) {
                for (int m = 0; m < row.length; m++) {
                    row[m] = Erf.gelu(row[m]);
                }
            }
            add(x, linear(inner, pre + "output.dense"));
        }
        double[][] last = layerNorm(new double[][] {x[0]}, "vit.layernorm");
        return linear(last, "classifier")[0];
    }

    private static void add(double[][] x, double[][] y) {
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < x[i].length; k++) {
                x[i][k] += y[i][k];
            }
        }
    }

    private double[][] layerNorm(double[][] x, String name) {
        double[] w = t.get(name + ".weight");
        double[] b = t.get(name + ".bias");
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            int d = x[i].length;
            double mean = 0;
            for (double value : x[i]) {
                mean += value / d;
            }
            double var = 0;
            for (double value : x[i]) {
                var += (value - mean) * (value - mean) / d;
            }
            out[i] = new double[d];
            for (int k = 0; k < d; k++) {
                out[i][k] = (x[i][k] - mean) / Math.sqrt(var + c.layerNormEps()) * w[k] + b[k];
            }
        }
        return out;
    }

    private double[][] linear(double[][] x, String module) {
        double[] w = t.get(module + ".weight");
        double[] b = t.get(module + ".bias");
        int in = x[0].length;
        int out = w.length / in;
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                for (int k = 0; k < in; k++) {
                    s += w[o * in + k] * x[i][k];
                }
                y[i][o] = s;
            }
        }
        return y;
    }
}
