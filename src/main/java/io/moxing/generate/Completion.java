package io.moxing.generate;

/**
 * A finished text: what was shown (stop sequence excluded), the tokens read and written, why it ended and
 * how long the model worked on it.
 */
public record Completion(String text, int promptTokens, int completionTokens, FinishReason finishReason,
                         long computeNanos) {}
