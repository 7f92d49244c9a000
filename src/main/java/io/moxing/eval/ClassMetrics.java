package io.moxing.eval;

/** Precision, recall and F1 of one class, with its support (true samples of the class). */
public record ClassMetrics(String label, double precision, double recall, double f1, long support) {}
