package io.moxing.cli;

import io.moxing.compress.AccuracyGate;
import io.moxing.compress.CompressionMethod;
import io.moxing.compress.CompressionResult;
import io.moxing.compress.Compressor;
import io.moxing.core.UserException;
import io.moxing.model.Templates;
import io.moxing.registry.CompressionKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "Make a smaller version of a registered classifier (structured pruning, distillation, weight-only"
                + " int8; bf16 is measured), judged against the original on the same test split and registered only"
                + " when its accuracy drops at most --max-drop points.")
final class CompressCommand implements Runnable {
    @Parameters(index = "0", description = "MODEL or MODEL:VERSION") String model;
    @Option(names = "--method", required = true, description = "prune, distill, int8 (weights only: smaller), onnx-int8 (ONNX Runtime's"
            + " int8 kernels: smaller and faster) or bf16.") String method;
    @Option(names = "--ratio", defaultValue = "0.5", description = "prune: fraction of filters and units removed (default 0.5).") double ratio;
    @Option(names = "--lr", description = "prune: the fine-tune's learning rate (default: a tenth of the model's).") Double lr;
    @Option(names = "--epochs", description = "prune: fine-tune epochs (default 1, 0 for none); distill: student epochs (default 5).") Integer epochs;
    @Option(names = "--student", description = "distill: the student, a template name or a spec file.") String student;
    @Option(names = "--temperature", defaultValue = "4", description = "distill: softening temperature T (default 4).") double temperature;
    @Option(names = "--alpha", defaultValue = "0.7", description = "distill: weight of the teacher's term (default 0.7).") double alpha;
    @Option(names = "--max-drop", defaultValue = "0.5", description = "Most test-accuracy points the compressed version may lose (default 0.5).") double maxDrop;
    @Option(names = "--json") boolean json;

    @Override
    public void run() {
        CompressionKind kind = CompressionKind.parse(method);
        if (student != null && kind != CompressionKind.DISTILL) {
            throw new UserException("invalid_option", "--student is for --method distill");
        }
        CompressionMethod chosen = switch (kind) {
            case PRUNE -> new CompressionMethod.Prune(ratio, epochs == null ? 1 : epochs, lr);
            case DISTILL -> new CompressionMethod.Distill(student == null ? null : Templates.resolve(student), temperature, alpha,
                    epochs == null ? 5 : epochs);
            case INT8 -> new CompressionMethod.Int8();
            case ONNX_INT8 -> new CompressionMethod.OnnxInt8();
            case BF16 -> new CompressionMethod.Bf16();
        };
        AccuracyGate gate = new AccuracyGate(maxDrop);
        Output out = new Output(System.out, json);
        CompressionResult r = new Compressor(Main.home(), System.err).compress(model, chosen, gate);
        out.line("%s of %s: test accuracy %.4f -> %s", r.method(), r.source(), r.accuracyBefore(),
                r.accuracyAfter() == null ? "n/a" : String.format("%.4f", r.accuracyAfter()));
        if (r.sizeRatio() != null) {
            out.line("weights %,d -> %,d bytes (%.2fx smaller), parameters %,d -> %,d", r.bytesBefore(), r.bytesAfter(),
                    r.sizeRatio(), r.parametersBefore(), r.parametersAfter());
        }
        if (kind == CompressionKind.INT8) {
            out.line("int8 is for size only: the weights are dequantised to fp32 at load, so it runs at fp32 speed"
                    + " (moxing bench infer %s VERSION measures it)", r.source());
        }
        out.line(r.registered() ? "registered %s" : "not registered: %s", r.registered() ? r.version() : r.reason());
        if (r.registered()) out.line("%s", r.reason());
        out.result(r);
    }
}
