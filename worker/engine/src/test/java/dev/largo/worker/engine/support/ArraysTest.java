package dev.largo.worker.engine.support;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArraysTest {

    /**
     * The scalar factor must outlive the Java side until backward: with DJL's {@code x.div(4.0)} this test
     * fails every time (the GC frees the scalar's buffer, NaN-filled buffers take its memory, and the backward
     * pass reads NaN), which made training fail with NaN gradients at random steps.
     */
    @Test
    void scalarFactorsSurviveGarbageCollectionBeforeBackward() throws Exception {
        for (int trial = 0; trial < 3; trial++) {
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray w = manager.create(new float[] {1f, 2f, 3f});
                w.setRequiresGradient(true);
                try (NDManager step = manager.newSubManager()) {
                    w.tempAttach(step);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = Arrays.divide(w, 4.0).add(Arrays.multiply(w, 3.0)).sum();
                        List<ByteBuffer> reuse = churnDirectMemory();
                        collector.backward(loss);
                        assertThat(reuse).isNotEmpty();
                    }
                }
                assertThat(w.getGradient().toFloatArray()).containsExactly(3.25f, 3.25f, 3.25f);
            }
        }
    }

    @Test
    void multiplyAndDivideKeepTheArrayType() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray doubles = manager.create(new double[] {2, 4});
            assertThat(Arrays.divide(doubles, 4).toDoubleArray()).containsExactly(0.5, 1.0);
            NDArray floats = manager.create(new float[] {2, 4});
            assertThat(Arrays.multiply(floats, 0.5).toFloatArray()).containsExactly(1f, 2f);
        }
    }

    /** Lets the GC free unreachable direct buffers, then fills freshly allocated small buffers with NaN. */
    private static List<ByteBuffer> churnDirectMemory() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
            buffer.putDouble(0, Double.NaN);
            buffers.add(buffer);
        }
        return buffers;
    }
}
