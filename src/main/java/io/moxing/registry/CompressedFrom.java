package io.moxing.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The provenance of a compressed version: the version it was made from, the method and the method's settings
 * (those that do not apply are null), and what the gate compared: both accuracies on the same test split and the
 * ratio of the weights files' sizes.
 *
 * @param source      the original version, {@code NAME:VERSION}
 * @param ratio       pruning: the fraction of filters and units removed from each pruned layer
 * @param student     distillation: the student spec's name
 * @param epochs      pruning's fine-tune or the student's training, in epochs
 * @param fineTuneLearningRate pruning: the fine-tune's learning rate
 * @param sizeRatio   original weights-file bytes / compressed weights-file bytes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompressedFrom(
        String source,
        CompressionKind method,
        Double ratio,
        String student,
        Double temperature,
        Double alpha,
        Integer epochs,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("fine_tune_lr") Double fineTuneLearningRate,
        @JsonProperty("accuracy_before") double accuracyBefore,
        @JsonProperty("accuracy_after") double accuracyAfter,
        @JsonProperty("size_ratio") double sizeRatio) {}
