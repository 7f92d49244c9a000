package io.moxing.train;

/**
 * Choices made on the command line rather than in the spec.
 *
 * @param dataset    data set name or name:version; null uses the spec's own data
 * @param modelName  the registry name; null uses the spec's name
 * @param trainLimit train on the first N training samples only (quick checks, tests)
 * @param register   register the trained model in the registry
 */
public record TrainOptions(String dataset, String modelName, Integer trainLimit, boolean register) {}
