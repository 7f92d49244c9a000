package io.moxing.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moxing.data.DatasetStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {
    @TempDir Path tmp;

    private static final List<String> CORPUS = List.of("床前明月光，疑是地上霜。", "举头望明月，低头思故乡。",
            "the moon, the moon over the sea", "明月几时有？把酒问青天。");

    @Test
    void characterTokenizerRoundTripsAndMarksUnknownCharacters() {
        CharTokenizer t = CharTokenizer.fit(CORPUS);
        for (String s : CORPUS) assertEquals(s, t.decode(t.encode(s)));
        // 明 and 月 are the most frequent characters after the space-free Chinese text's commas
        assertEquals(List.of("猫", "🐱"), t.unknownCharacters("明月猫🐱"));
        int[] ids = t.encode("明月猫");
        assertEquals(CharTokenizer.UNKNOWN, ids[2]);
        assertEquals("明月\uFFFD", t.decode(ids));
        Tokenizer again = roundTrip(t);
        assertArrayEquals(t.encode("举头望明月"), again.encode("举头望明月"));
        assertEquals(t.vocabularySize(), again.vocabularySize());
    }

    @Test
    void bytePairEncodingRoundTripsAnyTextAndCompresses() {
        BpeTokenizer t = BpeTokenizer.fit(CORPUS, 300);
        assertTrue(t.vocabularySize() > 256 && t.vocabularySize() <= 300, "vocabulary " + t.vocabularySize());
        for (String s : CORPUS) {
            int[] ids = t.encode(s);
            assertEquals(s, t.decode(ids));
            assertTrue(ids.length < s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        String unseen = "猫 cat 🐱";
        assertEquals(unseen, t.decode(t.encode(unseen)));
        assertEquals(List.of(), t.unknownCharacters(unseen));
        assertArrayEquals(t.encode("the moon over 明月"), roundTrip(t).encode("the moon over 明月"));
    }

    @Test
    void fitsTheRealChineseCorpusAndRoundTripsHeldOutEntries() throws Exception {
        DatasetStore store = new DatasetStore(tmp.resolve("store"));
        var dataset = store.resolveOrImportKnown("fortunes-zh");
        List<String> train = dataset.texts("train");
        List<String> validation = dataset.texts("validation");
        assertTrue(train.size() > 4000, "entries " + train.size());
        long started = System.nanoTime();
        BpeTokenizer bpe = BpeTokenizer.fit(train, 2000);
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(2000, bpe.vocabularySize());
        assertTrue(seconds < 60, "fitting took " + seconds + " s");
        CharTokenizer chars = CharTokenizer.fit(train);
        long bpeTokens = 0, charTokens = 0;
        for (String entry : validation) {
            assertEquals(entry, bpe.decode(bpe.encode(entry)));
            bpeTokens += bpe.encode(entry).length;
            charTokens += chars.encode(entry).length;
        }
        // a 2,000-token BPE needs fewer tokens than one per character (Chinese is 3 UTF-8 bytes a character)
        assertTrue(bpeTokens < charTokens * 1.5, bpeTokens + " BPE tokens vs " + charTokens + " characters");
    }

    private Tokenizer roundTrip(Tokenizer t) {
        Path file = tmp.resolve(t.kind() + ".json");
        t.save(file);
        return Tokenizer.load(file);
    }
}
