package io.moxing.console;

import io.moxing.console.view.Frame;
import io.moxing.console.view.ModelViews.Compare;
import io.moxing.console.view.ModelViews.Diff;
import io.moxing.console.view.ModelViews.Link;
import io.moxing.eval.ClassMetrics;
import io.moxing.eval.EvalResult;
import io.moxing.registry.ModelVersion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Two model versions side by side: every metric either card has and the F1 of every class either evaluation has, with
 * b's difference from a and whether it is better: higher is better except for losses, errors and perplexity.
 */
final class VersionComparison {
    /** Differences smaller than this are "same": the fourth decimal that the page shows. */
    private static final double SAME = 0.00005;
    private final VersionFacts facts;

    VersionComparison(VersionFacts facts) {
        this.facts = facts;
    }

    Compare compare(Frame frame, String a, String b, List<String> refs) {
        ModelVersion va = facts.card(a), vb = facts.card(b);
        Map<String, Double> ma = va.metrics() == null ? Map.of() : new TreeMap<>(va.metrics());
        Map<String, Double> mb = vb.metrics() == null ? Map.of() : new TreeMap<>(vb.metrics());
        Set<String> names = new LinkedHashSet<>(ma.keySet());
        names.addAll(mb.keySet());
        List<Diff> metrics = new ArrayList<>();
        for (String n : names) metrics.add(diff(n, ma.get(n), mb.get(n), lowerIsBetter(n)));
        Map<String, Double> fa = f1(facts.evaluation(va.ref()).orElse(null)), fb = f1(facts.evaluation(vb.ref()).orElse(null));
        Set<String> classes = new LinkedHashSet<>(fa.keySet());
        classes.addAll(fb.keySet());
        List<Diff> perClass = new ArrayList<>();
        for (String c : classes) perClass.add(diff(c, fa.get(c), fb.get(c), false));
        return new Compare(frame, va.ref(), vb.ref(), List.of(new Link(va.ref(), ModelPages.href(va.ref())),
                new Link(vb.ref(), ModelPages.href(vb.ref()))), metrics, perClass, refs);
    }

    static Diff diff(String name, Double a, Double b, boolean lowerIsBetter) {
        if (a == null || b == null) return new Diff(name, RunPages.number(a), RunPages.number(b), "", "");
        double delta = b - a;
        String verdict = Math.abs(delta) < SAME ? "same" : (delta > 0) != lowerIsBetter ? "better" : "worse";
        return new Diff(name, RunPages.number(a), RunPages.number(b), String.format(Locale.ROOT, "%+.4f", delta), verdict);
    }

    static boolean lowerIsBetter(String metric) {
        String m = metric.toLowerCase(Locale.ROOT);
        return m.contains("loss") || m.contains("perplexity") || m.contains("mse") || m.contains("mae") || m.contains("error");
    }

    private static Map<String, Double> f1(EvalResult e) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        if (e != null && e.perClass() != null) for (ClassMetrics c : e.perClass()) out.put(c.label(), c.f1());
        return out;
    }
}
