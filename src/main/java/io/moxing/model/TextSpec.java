package io.moxing.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.moxing.core.UserException;

/**
 * How a language model reads text.
 *
 * @param tokenizer       char (one token per character, natural for Chinese) or bpe (byte-level BPE)
 * @param bpeVocabulary   for bpe: the vocabulary size to learn (256 bytes + merges)
 * @param vocabulary      the fitted tokenizer's size; 0 in a recipe, filled in when training fits the tokenizer
 */
public record TextSpec(String tokenizer, @JsonProperty("bpe_vocabulary") int bpeVocabulary, int vocabulary) {

    public TextSpec {
        tokenizer = tokenizer == null ? "char" : tokenizer;
        if (!tokenizer.equals("char") && !tokenizer.equals("bpe")) {
            throw new UserException("invalid_spec", "text.tokenizer '" + tokenizer + "' must be char or bpe");
        }
        bpeVocabulary = bpeVocabulary == 0 ? 2000 : bpeVocabulary;
        if (bpeVocabulary < 257 || bpeVocabulary > 100_000) {
            throw new UserException("invalid_spec", "text.bpe_vocabulary " + bpeVocabulary + " must be between 257 and 100000");
        }
        if (vocabulary < 0) {
            throw new UserException("invalid_spec", "text.vocabulary must be >= 0 (0: fitted on the training text)");
        }
    }

    public TextSpec withVocabulary(int size) {
        return new TextSpec(tokenizer, bpeVocabulary, size);
    }
}
