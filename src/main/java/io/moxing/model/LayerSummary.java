package io.moxing.model;

import java.util.List;

/** One compiled layer: what it is, the shape it produces for one sample, its parameters and FLOPs. */
public record LayerSummary(String layer, List<Long> outputShape, long parameters, long flops) {}
