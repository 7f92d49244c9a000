package io.moxing.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-level byte-pair encoding (as GPT-2's): ids 0-255 are the bytes of UTF-8, every further id is a
 * merge of two earlier tokens learned from the corpus, most frequent pair first. Any text can be
 * encoded; merges never cross the boundaries of words, runs of spaces or runs of punctuation.
 */
public final class BpeTokenizer implements Tokenizer {
    static final String KIND = "bpe";
    private static final Pattern CHUNKS = Pattern.compile("\\s+|[\\p{L}\\p{M}\\p{N}]+|[^\\s\\p{L}\\p{M}\\p{N}]+");
    private final int[][] merges;
    private final Map<Long, Integer> rank = new HashMap<>();
    private final byte[][] bytes;

    private BpeTokenizer(int[][] merges) {
        this.merges = merges;
        this.bytes = new byte[256 + merges.length][];
        for (int b = 0; b < 256; b++) bytes[b] = new byte[] {(byte) b};
        for (int i = 0; i < merges.length; i++) {
            rank.put(pair(merges[i][0], merges[i][1]), i);
            byte[] left = bytes[merges[i][0]];
            byte[] right = bytes[merges[i][1]];
            byte[] joined = new byte[left.length + right.length];
            System.arraycopy(left, 0, joined, 0, left.length);
            System.arraycopy(right, 0, joined, left.length, right.length);
            bytes[256 + i] = joined;
        }
    }

    /**
     * Learns merges on a corpus until the vocabulary has {@code vocabularySize} tokens or no pair occurs
     * twice. Pair counts are updated only for the words a merge touches, so the cost follows the corpus,
     * not the corpus times the number of merges.
     */
    public static BpeTokenizer fit(List<String> corpus, int vocabularySize) {
        if (vocabularySize < 256) {
            throw new UserException("invalid_option", "a byte-level BPE vocabulary needs at least 256 tokens, got "
                    + vocabularySize);
        }
        Map<String, Integer> chunkCounts = new LinkedHashMap<>();
        for (String text : corpus) {
            Matcher m = CHUNKS.matcher(text);
            while (m.find()) chunkCounts.merge(m.group(), 1, Integer::sum);
        }
        List<int[]> words = new ArrayList<>();
        int[] counts = new int[chunkCounts.size()];
        for (var e : chunkCounts.entrySet()) {
            byte[] b = e.getKey().getBytes(StandardCharsets.UTF_8);
            int[] w = new int[b.length];
            for (int i = 0; i < b.length; i++) w[i] = b[i] & 0xFF;
            counts[words.size()] = e.getValue();
            words.add(w);
        }
        Map<Long, Long> pairCounts = new HashMap<>();
        Map<Long, Set<Integer>> where = new HashMap<>();
        for (int i = 0; i < words.size(); i++) addPairs(words.get(i), counts[i], i, pairCounts, where);
        List<int[]> learned = new ArrayList<>();
        while (256 + learned.size() < vocabularySize) {
            long best = -1;
            long bestCount = 1;
            for (var e : pairCounts.entrySet()) {
                long c = e.getValue();
                if (c > bestCount || (c == bestCount && best != -1 && e.getKey() < best)) {
                    best = e.getKey();
                    bestCount = c;
                }
            }
            if (best == -1) break;
            int a = (int) (best >>> 32);
            int b = (int) best;
            int id = 256 + learned.size();
            learned.add(new int[] {a, b});
            for (int wi : List.copyOf(where.getOrDefault(best, Set.of()))) {
                int[] w = words.get(wi);
                removePairs(w, counts[wi], pairCounts);
                int[] merged = merge(w, a, b, id);
                words.set(wi, merged);
                addPairs(merged, counts[wi], wi, pairCounts, where);
            }
            pairCounts.remove(best);
            where.remove(best);
        }
        return new BpeTokenizer(learned.toArray(int[][]::new));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int vocabularySize() {
        return bytes.length;
    }

    @Override
    public int[] encode(String text) {
        List<Integer> out = new ArrayList<>();
        Matcher m = CHUNKS.matcher(text);
        while (m.find()) {
            byte[] b = m.group().getBytes(StandardCharsets.UTF_8);
            int[] w = new int[b.length];
            for (int i = 0; i < b.length; i++) w[i] = b[i] & 0xFF;
            // apply the earliest-learned merge present, until none applies
            while (w.length > 1) {
                int bestRank = Integer.MAX_VALUE;
                for (int i = 0; i + 1 < w.length; i++) {
                    Integer r = rank.get(pair(w[i], w[i + 1]));
                    if (r != null && r < bestRank) bestRank = r;
                }
                if (bestRank == Integer.MAX_VALUE) break;
                w = merge(w, merges[bestRank][0], merges[bestRank][1], 256 + bestRank);
            }
            for (int id : w) out.add(id);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id >= 0 && id < bytes.length) out.writeBytes(bytes[id]);
        }
        // a sequence cut mid-character decodes with replacement characters, never an exception
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public List<String> unknownCharacters(String text) {
        return List.of();
    }

    @Override
    public JsonNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("kind", KIND);
        node.put("format_version", 1);
        ArrayNode list = node.putArray("merges");
        for (int[] m : merges) list.addArray().add(m[0]).add(m[1]);
        return node;
    }

    static BpeTokenizer fromJson(JsonNode json) {
        List<int[]> merges = new ArrayList<>();
        json.path("merges").forEach(m -> merges.add(new int[] {m.get(0).asInt(), m.get(1).asInt()}));
        return new BpeTokenizer(merges.toArray(int[][]::new));
    }

    private static long pair(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private static int[] merge(int[] w, int a, int b, int id) {
        int[] out = new int[w.length];
        int n = 0;
        for (int i = 0; i < w.length; i++) {
            if (i + 1 < w.length && w[i] == a && w[i + 1] == b) {
                out[n++] = id;
                i++;
            } else {
                out[n++] = w[i];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static void addPairs(int[] w, int count, int index, Map<Long, Long> pairCounts, Map<Long, Set<Integer>> where) {
        for (int i = 0; i + 1 < w.length; i++) {
            long p = pair(w[i], w[i + 1]);
            pairCounts.merge(p, (long) count, Long::sum);
            where.computeIfAbsent(p, k -> new HashSet<>()).add(index);
        }
    }

    private static void removePairs(int[] w, int count, Map<Long, Long> pairCounts) {
        for (int i = 0; i + 1 < w.length; i++) {
            long p = pair(w[i], w[i + 1]);
            long left = pairCounts.merge(p, (long) -count, Long::sum);
            if (left <= 0) pairCounts.remove(p);
        }
    }
}
