package io.moxing.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's running totals of batches and of the requests in them for one deployment, read from its
 * {@code /metrics} ({@code moxing_batch_size_sum} and {@code _count}); two readings give the mean batch
 * size the server formed in between.
 */
record BatchCounter(double requests, double batches) {
    private static final Pattern LINE = Pattern.compile("^moxing_batch_size_(sum|count)\\{([^}]*)\\}\\s+(\\S+)", Pattern.MULTILINE);

    static BatchCounter parse(String scrape, String deployment) {
        double requests = 0;
        double batches = 0;
        Matcher m = LINE.matcher(scrape);
        while (m.find()) {
            if (!m.group(2).contains("model=\"" + deployment + "\"")) continue;
            double value = Double.parseDouble(m.group(3));
            if (m.group(1).equals("sum")) requests = value; else batches = value;
        }
        return new BatchCounter(requests, batches);
    }

    /** The mean batch size since {@code earlier}; NaN when no batch ran. */
    double meanSince(BatchCounter earlier) {
        double ran = batches - earlier.batches;
        return ran > 0 ? (requests - earlier.requests) / ran : Double.NaN;
    }
}
