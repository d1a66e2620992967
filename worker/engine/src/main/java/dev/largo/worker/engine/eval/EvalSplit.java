package dev.largo.worker.engine.eval;

import dev.largo.worker.engine.data.LabelledData;

/**
 * A labelled evaluation split.
 *
 * @param name identifies the split in reports (a dataset id or file name)
 * @param domain e.g. {@code clean}, {@code rotate}
 * @param data images or texts, of the modality the job's model reads
 */
public record EvalSplit(String name, SplitKind kind, String domain, LabelledData data) {
}
