package io.moxing.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moxing.core.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One token per Unicode character (code point), natural for Chinese. Id 0 is the unknown token;
 * the others are the corpus's characters, most frequent first.
 */
public final class CharTokenizer implements Tokenizer {
    static final String KIND = "char";
    public static final int UNKNOWN = 0;
    private static final String UNKNOWN_TEXT = "\uFFFD";
    private final List<String> symbols;
    private final Map<Integer, Integer> ids = new HashMap<>();

    private CharTokenizer(List<String> symbols) {
        this.symbols = List.copyOf(symbols);
        for (int i = 1; i < symbols.size(); i++) {
            ids.put(symbols.get(i).codePointAt(0), i);
        }
    }

    /** Fits the vocabulary on a corpus: every character that occurs, most frequent first. */
    public static CharTokenizer fit(List<String> corpus) {
        Map<Integer, Long> counts = new HashMap<>();
        for (String text : corpus) {
            text.codePoints().forEach(cp -> counts.merge(cp, 1L, Long::sum));
        }
        List<Integer> order = new ArrayList<>(counts.keySet());
        order.sort(Comparator.comparing((Integer cp) -> -counts.get(cp)).thenComparing(cp -> cp));
        List<String> symbols = new ArrayList<>();
        symbols.add(UNKNOWN_TEXT);
        order.forEach(cp -> symbols.add(new String(Character.toChars(cp))));
        return new CharTokenizer(symbols);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int vocabularySize() {
        return symbols.size();
    }

    @Override
    public int[] encode(String text) {
        return text.codePoints().map(cp -> ids.getOrDefault(cp, UNKNOWN)).toArray();
    }

    @Override
    public String decode(int[] tokens) {
        StringBuilder b = new StringBuilder();
        for (int id : tokens) {
            b.append(id > 0 && id < symbols.size() ? symbols.get(id) : UNKNOWN_TEXT);
        }
        return b.toString();
    }

    @Override
    public List<String> unknownCharacters(String text) {
        LinkedHashSet<String> unknown = new LinkedHashSet<>();
        text.codePoints().filter(cp -> !ids.containsKey(cp)).forEach(cp -> unknown.add(new String(Character.toChars(cp))));
        return List.copyOf(unknown);
    }

    @Override
    public JsonNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("kind", KIND);
        node.put("format_version", 1);
        node.set("symbols", Json.MAPPER.valueToTree(symbols));
        return node;
    }

    static CharTokenizer fromJson(JsonNode json) {
        List<String> symbols = new ArrayList<>();
        json.path("symbols").forEach(s -> symbols.add(s.asText()));
        return new CharTokenizer(symbols);
    }
}
