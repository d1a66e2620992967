package dev.largo.worker.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import java.util.ArrayList;
import java.util.List;

/** Global-norm gradient clipping, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * Scales all gradients in place so their joint L2 norm is at most {@code maxNorm}; returns the norm
     * before clipping (for metrics). One device-to-host transfer in all.
     */
    public static float clipGlobalNorm(List<TrainableTensor> tensors, float maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("max norm must be positive, got " + maxNorm);
        }
        if (tensors.isEmpty()) {
            return 0f;
        }
        try (StepScope scope = StepScope.open(tensors.get(0).value().getManager())) {
            List<NDArray> gradients = new ArrayList<>(tensors.size());
            NDArray[] squares = new NDArray[tensors.size()];
            for (int i = 0; i < tensors.size(); i++) {
                NDArray g = scope.gradient(tensors.get(i));
                gradients.add(g);
                squares[i] = g.square().sum();
            }
            NDArray total = squares.length == 1 ? squares[0] : NDArrays.stack(new ai.djl.ndarray.NDList(squares)).sum();
            float norm = (float) Math.sqrt(total.toFloatArray()[0]);
            if (norm > maxNorm) {
                float scale = maxNorm / norm;
                for (NDArray g : gradients) {
                    g.muli(scale);
                }
            }
            return norm;
        }
    }
}
