/** Benchmarks run as commands (moxing bench ...), each comparing against a baseline measured in the same run. */
package io.moxing.bench;
