package dev.largo.worker.engine.eval;

import dev.largo.worker.engine.data.ImageDataset;

/**
 * A labelled evaluation split.
 *
 * @param name identifies the split in reports (a dataset id or file name)
 * @param domain e.g. {@code clean}, {@code rotate}
 */
public record EvalSplit(String name, SplitKind kind, String domain, ImageDataset data) {
}
