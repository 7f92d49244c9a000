/** Cross-cutting primitives every feature uses: the data directory, atomic writes, hashing, JSON, build and machine facts, user-facing errors, and the start-up of the deep-learning engine. */
package io.moxing.core;
