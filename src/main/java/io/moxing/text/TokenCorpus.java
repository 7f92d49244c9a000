package io.moxing.text;

import io.moxing.core.UserException;
import io.moxing.data.Dataset;
import io.moxing.model.TextSpec;
import java.util.List;

/**
 * A text data set as token streams, one per split: each split's entries joined with
 * {@link #ENTRY_SEPARATOR} (the fortune files' own separator, so a model learns where an entry ends)
 * and encoded with a tokenizer fitted on the training split only.
 */
public record TokenCorpus(Tokenizer tokenizer, int[] train, int[] validation, int[] test) {
    public static final String ENTRY_SEPARATOR = "\n%\n";

    /** Fits a tokenizer of the spec's kind on the training text, then encodes every split. */
    public static TokenCorpus fit(Dataset dataset, TextSpec text) {
        String train = joined(dataset, "train");
        Tokenizer tokenizer = "bpe".equals(text.tokenizer())
                ? BpeTokenizer.fit(List.of(train), text.bpeVocabulary()) : CharTokenizer.fit(List.of(train));
        return encode(dataset, tokenizer, train);
    }

    /** Encodes every split with a tokenizer fitted before (a resumed run's). */
    public static TokenCorpus encode(Dataset dataset, Tokenizer tokenizer) {
        return encode(dataset, tokenizer, joined(dataset, "train"));
    }

    private static TokenCorpus encode(Dataset dataset, Tokenizer tokenizer, String train) {
        return new TokenCorpus(tokenizer, tokenizer.encode(train),
                dataset.hasSplit("validation") ? tokenizer.encode(joined(dataset, "validation")) : new int[0],
                dataset.hasSplit("test") ? tokenizer.encode(joined(dataset, "test")) : new int[0]);
    }

    private static String joined(Dataset dataset, String split) {
        if (!dataset.hasSplit(split)) {
            throw new UserException("empty_corpus", "data set " + dataset.manifest().ref() + " has no '" + split
                    + "' text; import a text corpus with moxing data import NAME --format text --path FILE");
        }
        List<String> entries = dataset.texts(split).stream().filter(e -> !e.isBlank()).toList();
        String text = String.join(ENTRY_SEPARATOR, entries);
        if ("train".equals(split) && text.codePointCount(0, text.length()) < 2) {
            throw new UserException("empty_corpus", "data set " + dataset.manifest().ref()
                    + " has no training text to learn from; import a corpus with at least a few sentences");
        }
        return text;
    }
}
