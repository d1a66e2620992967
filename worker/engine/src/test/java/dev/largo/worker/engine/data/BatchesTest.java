package dev.largo.worker.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {

    @Test
    void eachEpochVisitsEveryExampleOnceInASeededOrder() {
        Batches batches = new Batches(10, 3, true, false, 42);
        assertThat(batches.batchesPerEpoch()).isEqualTo(4);
        List<int[]> epoch0 = epoch(batches);
        assertThat(epoch0.get(3)).hasSize(1);
        assertThat(concat(epoch0)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(batches.epoch()).isEqualTo(1);
        List<int[]> epoch1 = epoch(batches);
        assertThat(concat(epoch1)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(concat(epoch1)).isNotEqualTo(concat(epoch0));

        Batches same = new Batches(10, 3, true, false, 42);
        assertThat(concat(epoch(same))).isEqualTo(concat(epoch0));
        Batches other = new Batches(10, 3, true, false, 43);
        assertThat(concat(epoch(other))).isNotEqualTo(concat(epoch0));
    }

    @Test
    void withoutShufflingBatchesFollowTheDatasetAndDropLastDrops() {
        Batches batches = new Batches(7, 3, false, true, 1);
        assertThat(batches.batchesPerEpoch()).isEqualTo(2);
        assertThat(batches.next()).containsExactly(0, 1, 2);
        assertThat(batches.next()).containsExactly(3, 4, 5);
        assertThat(batches.next()).containsExactly(0, 1, 2);
        assertThatThrownBy(() -> new Batches(2, 3, true, true, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void restoredCursorContinuesIdentically() {
        Batches original = new Batches(50, 8, true, false, 7);
        for (int i = 0; i < 9; i++) { // into the second epoch
            original.next();
        }
        Batches.Cursor cursor = original.cursor();
        List<int[]> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(original.next());
        }
        Batches resumed = new Batches(50, 8, true, false, 7);
        resumed.restore(cursor);
        assertThat(resumed.epoch()).isEqualTo(1);
        assertThat(resumed.batchInEpoch()).isEqualTo(2);
        for (int[] batch : expected) {
            assertThat(resumed.next()).containsExactly(batch);
        }
    }

    @Test
    void splitMixStateRoundTripsAndIntsAreUniform() {
        SplitMix64 random = new SplitMix64(99);
        random.nextLong();
        SplitMix64 copy = new SplitMix64(random.state());
        for (int i = 0; i < 10; i++) {
            assertThat(copy.nextLong()).isEqualTo(random.nextLong());
        }
        int[] counts = new int[6];
        for (int i = 0; i < 60_000; i++) {
            counts[random.nextInt(6)]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(9_500, 10_500);
        }
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < 20_000; i++) {
            double g = random.nextGaussian();
            sum += g;
            squares += g * g;
        }
        assertThat(sum / 20_000).isBetween(-0.03, 0.03);
        assertThat(squares / 20_000).isBetween(0.96, 1.04);
    }

    private static List<int[]> epoch(Batches batches) {
        List<int[]> out = new ArrayList<>();
        for (int b = 0; b < batches.batchesPerEpoch(); b++) {
            out.add(batches.next());
        }
        return out;
    }

    private static int[] concat(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }
}
