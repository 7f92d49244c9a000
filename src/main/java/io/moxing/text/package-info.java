/** Text for language models: tokenizers (character level and byte-level BPE) saved with the model. */
package io.moxing.text;
