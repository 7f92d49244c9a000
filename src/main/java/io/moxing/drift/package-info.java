/**
 * Whether the inputs a deployed model sees still look like the data it was trained on: a reference
 * distribution of a per-sample statistic taken from the training split, live counts of the same statistic
 * over served rows, and the population-stability index between the two. Knows nothing of HTTP or metrics.
 */
package io.moxing.drift;
