/** Running registered models: loading a version, decoding raw inputs with the version's normalisation, batched inference. */
package io.moxing.predict;
