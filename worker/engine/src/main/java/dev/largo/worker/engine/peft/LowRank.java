package dev.largo.worker.engine.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.largo.worker.engine.support.Arrays;

/**
 * The low-rank term of a LoRA layer, {@code base + s (x A^T) B^T}, laid out for libtorch's CPU GEMMs.
 *
 * <p>Why this layout (BENCHMARKS.md, "where the time goes"): written plainly as {@code linear(linear(x, A) * s,
 * B) + base}, autograd computes B's gradient as {@code (dy^T low)^T}, an [out, tokens] x [tokens, r] product
 * that the GEMM bundled with libtorch runs 4-7x slower than the same numbers as {@code low^T dy} ([r, tokens]
 * x [tokens, out]), and the gradient of the rank-r intermediate as {@code dy B}, 2x slower than
 * {@code (B^T dy^T)^T}; at the perf shape these two made a LoRA step cost as much as a full one. Here
 * <ul>
 *   <li>the intermediate is computed transposed, {@code lowT = A x^T} ([r, tokens], contiguous), so it enters
 *       the second product as a transposed view and autograd takes the fast form for its gradient;</li>
 *   <li>B enters as a contiguous copy of {@code s B^T} ([r, out]), so B's gradient is {@code low^T dy};</li>
 *   <li>the second product and the addition of {@code base} are one fused {@code addmm} (no extra
 *       [tokens, out] pass over memory).</li>
 * </ul>
 * The arithmetic is the same; results differ from the plain form only by float rounding (LowRankTest).
 */
public final class LowRank {

    private LowRank() {
    }

    /**
     * {@code base + scale (x A^T) B^T} over any leading dimensions of {@code x}.
     *
     * @param base [..., out], the frozen layer's output for {@code x}
     * @param x [..., in]
     * @param a A [r, in]
     * @param b B [out, r]
     * @return [..., out], on {@code x}'s manager
     */
    public static NDArray add(NDArray base, NDArray x, NDArray a, NDArray b, float scale) {
        Shape shape = x.getShape();
        long in = shape.get(shape.dimension() - 1);
        long rows = shape.size() / in;
        long out = b.getShape().get(0);
        long r = b.getShape().get(1);
        NDArray lowT = a.matMul(x.reshape(rows, in).transpose(1, 0));
        lowT.attach(x.getManager());
        // reshape(-1) of the transposed view copies it into a contiguous [r, out] array.
        NDArray scaledBt = b.transpose(1, 0).reshape(r * out).reshape(r, out);
        scaledBt.attach(x.getManager());
        if (scale != 1f) {
            scaledBt = Arrays.multiply(scaledBt, scale);
        }
        // linear(input, weight, bias) with 2-D input is addmm(bias, input, weight^T): weight^T = scaledBt.
        NDArray sum = Linear.linear(lowT.transpose(1, 0), scaledBt.transpose(1, 0), base.reshape(rows, out))
                .singletonOrThrow();
        return sum.reshape(shape.slice(0, shape.dimension() - 1).add(out));
    }
}
