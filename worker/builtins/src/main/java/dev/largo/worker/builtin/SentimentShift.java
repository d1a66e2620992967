package dev.largo.worker.builtin;

import java.util.List;

/**
 * The sentiment-shift task: binary review sentiment, fine-tuned on Amazon product reviews and tested on Amazon
 * (in distribution), Yelp restaurant reviews and SST-2 movie-review phrases (out of distribution). Its data ships
 * as {@link BuiltinAssets#textDatasets()}; sources and terms are in {@link BuiltinAssets#SENTIMENT_LICENSE_RESOURCE}.
 */
public final class SentimentShift {

    /** The labels, index = label (sorted, as the JSONL reader numbers string labels). */
    public static final List<String> CLASS_NAMES = List.of("negative", "positive");
    /** The domain the task trains on. */
    public static final String ID_DOMAIN = "amazon";
    /** Every domain, the task's own first; also the continual sequence's order (amazon, yelp, sst2). */
    public static final List<String> DOMAINS = List.of(ID_DOMAIN, "yelp", "sst2");

    public static final String TRAIN = "amazon-train";
    /** Learning rates and other choices are made on this split only. */
    public static final String VALIDATION = "amazon-val";
    public static final String ID_TEST = "amazon-test";
    /** The out-of-distribution tests, in {@link #DOMAINS} order. */
    public static final List<String> OOD_TESTS = List.of("yelp-test", "sst2-test");

    private SentimentShift() {
    }

    /** The shipped test set of {@code domain} ({@code <domain>-test}). */
    public static BuiltinTextDataset test(String domain) {
        return BuiltinAssets.textDataset(domain + "-test")
                .orElseThrow(() -> new IllegalArgumentException("no shipped test set for domain " + domain));
    }
}
