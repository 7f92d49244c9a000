package io.moxing.cli;

import io.moxing.model.CompiledModel;
import io.moxing.model.ModelSpec;
import io.moxing.model.SpecCompiler;
import io.moxing.model.Templates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "templates", mixinStandardHelpOptions = true,
        description = "List the built-in model templates, or show one compiled (layers, shapes, parameters, FLOPs).")
final class TemplatesCommand implements Runnable {
    private static final int DISPLAY_VOCABULARY = 5000;
    @Parameters(index = "0", arity = "0..1", description = "A template name or spec file to show.") String name;
    @Option(names = "--json") boolean json;

    @Override
    public void run() {
        Output out = new Output(System.out, json);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String n : name == null ? Templates.NAMES : List.of(name)) {
            ModelSpec spec = Templates.resolve(n);
            boolean unfitted = spec.isLanguageModel() && spec.text().vocabulary() == 0;
            if (unfitted) {
                // the real size comes from the tokenizer fitted at training; show the counts for a stand-in
                spec = spec.withVocabulary(DISPLAY_VOCABULARY);
            }
            CompiledModel c = SpecCompiler.compile(spec);
            out.line("%-10s %s", spec.name(), spec.description());
            if (unfitted && name != null) {
                out.line("  (counts for a vocabulary of %d tokens; training fits the tokenizer and sets the real size)",
                        DISPLAY_VOCABULARY);
            }
            if (name != null) {
                c.layers().forEach(l -> out.line("  %-50s -> %-16s params %,10d  flops %,12d", l.layer(), l.outputShape(),
                        l.parameters(), l.flops()));
            }
            out.line("  input %s, %,d parameters, %,d forward FLOPs per sample", spec.input(), c.parameters(), c.forwardFlops());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", spec.name());
            row.put("parameters", c.parameters());
            row.put("forward_flops", c.forwardFlops());
            rows.add(row);
        }
        out.result(Map.of("templates", rows));
    }
}
