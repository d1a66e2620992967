package dev.largo.worker.engine.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class StepScopeTest {

    @Test
    void borrowedArraysComeHomeAliveAndTemporariesAreFreed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray p = manager.create(new float[] {1, 2});
            NDArray temporary;
            try (StepScope scope = StepScope.open(manager)) {
                scope.borrow(p);
                scope.borrow(p); // a second borrow in the same scope must be harmless
                temporary = p.mul(2);
                assertThat(temporary.getManager()).isSameAs(scope.manager());
            }
            assertThat(temporary.isReleased()).isTrue();
            assertThat(p.isReleased()).isFalse();
            assertThat(p.getManager()).isSameAs(manager);
            assertThat(p.toFloatArray()).containsExactly(1f, 2f);
        }
    }

    /** A base optimizer's scope inside a wrapper's scope (RegulatedProjection around AdamW). */
    @Test
    void nestedScopesReturnArraysThroughEachOther() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray p = manager.create(new float[] {1, 2});
            try (StepScope outer = StepScope.open(manager)) {
                outer.borrow(p);
                try (StepScope inner = StepScope.open(manager)) {
                    inner.borrow(p);
                    p.addi(1);
                }
                assertThat(p.getManager()).isSameAs(outer.manager());
                assertThat(p.isReleased()).isFalse();
            }
            assertThat(p.isReleased()).isFalse();
            assertThat(p.getManager()).isSameAs(manager);
            assertThat(p.toFloatArray()).containsExactly(2f, 3f);
            assertThat(manager.getManagedArrays()).hasSize(1);
        }
    }
}
