package io.moxing.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.moxing.core.Task;
import java.util.List;

/**
 * An evaluation of a model on a split. Classification fills accuracy, per-class and macro
 * precision/recall/F1, the confusion matrix (rows: true class) and, for two classes, ROC-AUC;
 * regression fills MSE, MAE and R².
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalResult(
        Task task,
        String split,
        long samples,
        Double accuracy,
        @JsonProperty("macro_precision") Double macroPrecision,
        @JsonProperty("macro_recall") Double macroRecall,
        @JsonProperty("macro_f1") Double macroF1,
        @JsonProperty("per_class") List<ClassMetrics> perClass,
        @JsonProperty("confusion_matrix") long[][] confusionMatrix,
        List<String> labels,
        @JsonProperty("roc_auc") Double rocAuc,
        Double mse,
        Double mae,
        Double r2) {}
