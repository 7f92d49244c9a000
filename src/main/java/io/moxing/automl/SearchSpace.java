package io.moxing.automl;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Random;

/**
 * Where a search draws its trials from. Choices are uniform, learning rates and weight decays
 * log-uniform in the range of the optimizer drawn ({@link OptimizerChoice}). Saved with the search and
 * written into the winner's provenance.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = SearchSpace.Images.class, name = "images"),
        @JsonSubTypes.Type(value = SearchSpace.Tables.class, name = "tables")})
public sealed interface SearchSpace permits SearchSpace.Images, SearchSpace.Tables {

    /** Settings drawn at random; the same {@code random} state gives the same settings. */
    TrialSettings sample(Random random);

    /** Convolutional networks for images: blocks, widths, batch norm, residual, head, dropout, augmentation, training. */
    record Images(@JsonProperty("min_blocks") int minBlocks, @JsonProperty("max_blocks") int maxBlocks, List<Integer> widths,
                  @JsonProperty("max_dropout") double maxDropout, @JsonProperty("batch_sizes") List<Integer> batchSizes)
            implements SearchSpace {

        /** The space: 2-4 blocks, widths 32-128, dropout 0-0.5, batches 64-256; {@code maxWidth} trims the widths. */
        public static Images standard(int maxWidth) {
            List<Integer> widths = List.of(32, 48, 64, 96, 128).stream().filter(w -> w <= maxWidth).toList();
            return new Images(2, 4, widths.isEmpty() ? List.of(maxWidth) : widths, 0.5, List.of(64, 128, 256));
        }

        @Override
        public TrialSettings sample(Random r) {
            OptimizerChoice optimizer = pick(r, List.of(OptimizerChoice.values()));
            return new ImageSettings(minBlocks + r.nextInt(maxBlocks - minBlocks + 1), pick(r, widths), r.nextBoolean(),
                    r.nextBoolean(), r.nextDouble() * maxDropout, pick(r, List.of(ImageSettings.Shift.values())),
                    r.nextBoolean(), r.nextBoolean(), optimizer, optimizer.learningRate.sample(r),
                    optimizer.weightDecay.sample(r), pick(r, List.of(ScheduleChoice.values())), pick(r, batchSizes),
                    pick(r, List.of(ImageSettings.Head.values())));
        }
    }

    /** Multi-layer perceptrons for tables: depth, width, normalisation, dropout, weight decay, training. */
    record Tables(@JsonProperty("min_depth") int minDepth, @JsonProperty("max_depth") int maxDepth, List<Integer> widths,
                  @JsonProperty("max_dropout") double maxDropout, @JsonProperty("batch_sizes") List<Integer> batchSizes)
            implements SearchSpace {

        /** 1-3 hidden layers of 32-256 units, dropout 0-0.5, batches 32-256. */
        public static Tables standard() {
            return new Tables(1, 3, List.of(32, 64, 128, 256), 0.5, List.of(32, 64, 128, 256));
        }

        @Override
        public TrialSettings sample(Random r) {
            OptimizerChoice optimizer = pick(r, List.of(OptimizerChoice.values()));
            return new TableSettings(minDepth + r.nextInt(maxDepth - minDepth + 1), pick(r, widths),
                    pick(r, List.of(Normalisation.values())), r.nextDouble() * maxDropout, optimizer,
                    optimizer.learningRate.sample(r), optimizer.weightDecay.sample(r),
                    pick(r, List.of(ScheduleChoice.values())), pick(r, batchSizes));
        }
    }

    private static <T> T pick(Random r, List<T> choices) {
        return choices.get(r.nextInt(choices.size()));
    }
}
