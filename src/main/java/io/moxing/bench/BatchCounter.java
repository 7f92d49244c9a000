package io.moxing.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's running totals for one deployment, read from its {@code /metrics}: batches and the requests in
 * them ({@code moxing_batch_size_sum} and {@code _count}) and the CPU time its batch threads spent inside the
 * model ({@code moxing_model_cpu_seconds_total}). Two readings give the mean batch size the server formed in
 * between and the model's share of the server's CPU time over the same minutes. Public for
 * {@code scripts/ServingFloor.java}, which reads its servers the same way.
 */
public record BatchCounter(double requests, double batches, double modelCpuSeconds) {
    private static final Pattern LINE = Pattern.compile(
            "^moxing_(batch_size_sum|batch_size_count|model_cpu_seconds_total)\\{([^}]*)\\}\\s+(\\S+)", Pattern.MULTILINE);

    public static BatchCounter parse(String scrape, String deployment) {
        double requests = 0;
        double batches = 0;
        double modelCpu = 0;
        Matcher m = LINE.matcher(scrape);
        while (m.find()) {
            if (!m.group(2).contains("model=\"" + deployment + "\"")) continue;
            double value = Double.parseDouble(m.group(3));
            switch (m.group(1)) {
                case "batch_size_sum" -> requests = value;
                case "batch_size_count" -> batches = value;
                default -> modelCpu = value;
            }
        }
        return new BatchCounter(requests, batches, modelCpu);
    }

    /** The mean batch size since {@code earlier}; NaN when no batch ran. */
    double meanSince(BatchCounter earlier) {
        double ran = batches - earlier.batches;
        return ran > 0 ? (requests - earlier.requests) / ran : Double.NaN;
    }

    /** Microseconds the model took of the server's CPU since {@code earlier}. */
    public double modelCpuMicrosSince(BatchCounter earlier) {
        return (modelCpuSeconds - earlier.modelCpuSeconds) * 1e6;
    }
}
