/** The model registry: immutable numbered versions with their card, spec, parameters and typed provenance. */
package io.moxing.registry;
