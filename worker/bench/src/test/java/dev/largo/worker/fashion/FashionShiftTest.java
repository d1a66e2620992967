package dev.largo.worker.fashion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.largo.worker.builtin.FashionShift;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.styles.Style;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FashionShiftTest {

    private static final ImageDataset TRAIN = SyntheticFashionMnist.of(700, 1);
    private static final ImageDataset TEST = SyntheticFashionMnist.of(120, 2);
    private final FashionShift shift = new FashionShift(TRAIN, TEST);

    @Test
    void taskSplitsAreDisjointCleanSubsetsOfClassesFiveToNine() {
        FashionShift.TaskSplits splits = shift.taskSplits();
        assertThat(splits.train().count()).isEqualTo(2_000);
        assertThat(splits.validation().count()).isEqualTo(1_000);
        List<String> names = List.of("Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
        assertThat(splits.train().classNames()).isEqualTo(names);
        assertThat(splits.validation().classNames()).isEqualTo(names);
        Set<Integer> seen = new HashSet<>();
        for (ImageDataset split : List.of(splits.train(), splits.validation())) {
            for (int i = 0; i < split.count(); i++) {
                int source = SyntheticFashionMnist.id(split, i);
                assertThat(seen.add(source)).as("image %d used twice", source).isTrue();
                // Relabelled 5..9 -> 0..4, pixels untouched (clean).
                assertThat(split.labels()[i]).isEqualTo(TRAIN.labels()[source] - 5);
                assertThat(Arrays.copyOfRange(split.pixels(), i * 784, (i + 1) * 784))
                        .isEqualTo(Arrays.copyOfRange(TRAIN.pixels(), source * 784, (source + 1) * 784));
            }
        }
        // Seeded: a second build is identical; the subset is not simply the first images.
        assertThat(shift.taskSplits().train().pixels()).isEqualTo(splits.train().pixels());
        assertThat(SyntheticFashionMnist.id(splits.train(), 0)).isNotEqualTo(5);
    }

    @Test
    void pretrainingSetHasEveryImageOfClassesZeroToFourInMixedStyles() {
        ImageDataset pretrain = shift.pretrainingSet();
        assertThat(pretrain.count()).isEqualTo(3_500);
        assertThat(pretrain.classNames()).containsExactly("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat");
        assertThat(Arrays.stream(pretrain.labels()).max().orElseThrow()).isEqualTo(4);
        assertThat(pretrain.pixels()).isEqualTo(shift.pretrainingSet().pixels());
        // Roughly a sixth of the images stay clean; the rest differ from their source.
        int clean = 0;
        for (int i = 0; i < pretrain.count(); i++) {
            int source = (i / 5) * 10 + i % 5; // selectClasses keeps order: classes 0-4 of each block of ten
            clean += Arrays.equals(Arrays.copyOfRange(pretrain.pixels(), i * 784, (i + 1) * 784),
                    Arrays.copyOfRange(TRAIN.pixels(), source * 784, (source + 1) * 784)) ? 1 : 0;
        }
        assertThat(clean).isBetween(3_500 / 6 - 100, 3_500 / 6 + 100);
    }

    @Test
    void taskTestSetsHoldEveryTestImageOfTheTaskInTheirStyle() {
        ImageDataset clean = shift.taskTest(Style.CLEAN);
        ImageDataset inverted = shift.taskTest(Style.INVERT);
        assertThat(clean.count()).isEqualTo(600);
        assertThat(inverted.labels()).isEqualTo(clean.labels());
        for (int p = 0; p < clean.pixels().length; p += 97) {
            assertThat(inverted.pixels()[p] & 0xff).isEqualTo(255 - (clean.pixels()[p] & 0xff));
        }
        // Random styles are seeded per style: rebuilt identically, and noise differs from rotate's draws.
        assertThat(shift.taskTest(Style.NOISE).pixels()).isEqualTo(shift.taskTest(Style.NOISE).pixels());
        assertThat(FashionShift.oodStyles()).containsExactly(Style.ROTATE, Style.INVERT, Style.NOISE, Style.BLUR,
                Style.CONTRAST);
        assertThat(shift.pretrainingTest(Style.CLEAN).classNames()).hasSize(5);
    }

    @Test
    void rejectsDataThatIsNotFashionMnist() {
        ImageDataset wrongClasses = new ImageDataset(1, 28, 28, 1, new byte[784], new int[1], List.of("a"));
        assertThatThrownBy(() -> new FashionShift(wrongClasses, TEST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("training set is not Fashion-MNIST");
    }
}
