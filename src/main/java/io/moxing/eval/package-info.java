/** Evaluation metrics (accuracy, per-class and macro precision/recall/F1, confusion matrix, ROC-AUC, MSE/MAE/R²) and their reports. */
package io.moxing.eval;
