package io.moxing.compress;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.moxing.registry.CompressionKind;

/**
 * What a compression did: the JSON of {@code moxing compress --json}. {@code version} is null and
 * {@code registered} false when the gate refused the result or the method could not run; {@code reason} says why
 * either way. Accuracy after and the size ratio are null when nothing was built (bf16 on an engine that cannot).
 *
 * @param sizeRatio original weights-file bytes / compressed weights-file bytes
 */
@JsonPropertyOrder({"method", "source", "accuracy_before", "accuracy_after", "size_ratio", "registered", "version", "reason"})
public record CompressionResult(
        CompressionKind method,
        String source,
        @JsonProperty("accuracy_before") double accuracyBefore,
        @JsonProperty("accuracy_after") Double accuracyAfter,
        @JsonProperty("size_ratio") Double sizeRatio,
        boolean registered,
        String version,
        String reason,
        @JsonProperty("bytes_before") long bytesBefore,
        @JsonProperty("bytes_after") Long bytesAfter,
        @JsonProperty("parameters_before") long parametersBefore,
        @JsonProperty("parameters_after") Long parametersAfter) {}
