package io.moxing.registry;

/** The exact data-set version a model was trained on. */
public record DatasetRef(String name, String version, String sha256) {}
