/** The training run: optimizers, losses, learning-rate schedules, the loop, its listeners (progress, checkpoints, early stopping), run records and resume. */
package io.moxing.train;
