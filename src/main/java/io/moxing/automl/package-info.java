/**
 * AutoML: a search over model specs and training settings within a wall-clock budget. Owns the search
 * space ({@link io.moxing.automl.SearchSpace}: images, tables), the sampler, the ASHA scheduler
 * ({@link io.moxing.automl.Asha}), the search's durable state and its store, the guard that keeps the test
 * split out of selection ({@link io.moxing.automl.SearchData}), and the report. Trials are training runs of
 * {@code train}; the chosen model is registered with {@link io.moxing.registry.SearchProvenance}. Knows
 * neither HTTP, JDBC nor picocli.
 */
package io.moxing.automl;
