/** Data sets: importers (IDX, CIFAR-10 binary, image folders, CSV/JSONL tables, text corpora), cleaning, deterministic splits, normalisation, and the versioned store whose versions are content hashes. */
package io.moxing.data;
