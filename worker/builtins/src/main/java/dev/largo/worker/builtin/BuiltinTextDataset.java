package dev.largo.worker.builtin;

import dev.largo.worker.engine.data.DatasetFormat;
import dev.largo.worker.engine.data.TaskType;
import dev.largo.worker.engine.eval.SplitKind;
import java.util.List;

/**
 * A sample text dataset of the sentiment-shift task shipped on the classpath: JSON Lines, one
 * {@code {"text": ..., "label": "negative"|"positive"}} per line, UTF-8 (see {@link SentimentShift}).
 *
 * @param name the dataset's name, also its file name without {@code .jsonl} (e.g. {@code amazon-train})
 * @param split what the dataset is for
 * @param domainId the review source: {@code amazon} (the task's own), {@code yelp} or {@code sst2}
 * @param count rows it holds
 * @param description one line for people
 */
public record BuiltinTextDataset(String name, SampleSplit split, String domainId, int count, String description)
        implements ShippedDataset {

    public BuiltinTextDataset {
        if (!SentimentShift.DOMAINS.contains(domainId)) {
            throw new IllegalArgumentException("unknown sentiment domain " + domainId + "; known: " + SentimentShift.DOMAINS);
        }
    }

    /** ID for Amazon data; OOD for Yelp and SST-2. */
    @Override
    public SplitKind kind() {
        return domainId.equals(SentimentShift.ID_DOMAIN) ? SplitKind.ID : SplitKind.OOD;
    }

    @Override
    public String fileName() {
        return name + ".jsonl";
    }

    @Override
    public String directory() {
        return BuiltinAssets.SENTIMENT_DIRECTORY;
    }

    /** {@code negative}, {@code positive}: the JSONL reader sorts string labels, so index 0 is negative. */
    @Override
    public List<String> classNames() {
        return SentimentShift.CLASS_NAMES;
    }

    @Override
    public TaskType taskType() {
        return TaskType.TEXT_CLASSIFICATION;
    }

    @Override
    public DatasetFormat format() {
        return DatasetFormat.JSONL;
    }
}
