/**
 * Retraining that is promoted only when it is measurably better: a deployment's policy (after how much
 * labelled feedback, which metric, the least gain, the largest per-class F1 drop), the gate that compares
 * a fine-tuned candidate with the production version on a frozen gate set, and the record of every
 * decision. Knows nothing of HTTP or SQL.
 */
package io.moxing.retrain;
