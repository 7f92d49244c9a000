/**
 * What flows back from serving: the prediction log (a deployment's inputs and outputs, kept sealed for a
 * number of days when it opts in), users' feedback on single predicted rows, and the data set version
 * made from the corrected rows. Knows nothing of HTTP or SQL: stores are interfaces implemented in
 * {@code io.moxing.store}.
 */
package io.moxing.feedback;
