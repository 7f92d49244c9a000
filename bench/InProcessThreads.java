import io.moxing.predict.*;
import io.moxing.registry.*;
import io.moxing.core.*;
import java.nio.file.*;
/** In-process batched throughput of a registered model on two and on one intra-op thread: java -cp target/moxing-run.jar bench/InProcessThreads.java [MODEL]. */
public class InProcessThreads {
    public static void main(String[] a) throws Exception {
        MoxingHome home = MoxingHome.fromEnvironment();
        var reg = new ModelRegistry(home.models());
        try (LoadedModel m = LoadedModel.load(reg.resolve(a.length > 0 ? a[0] : "cnn-28"))) {
            int size = 784, batch = 64;
            float[] packed = new float[size * batch];
            for (int threads : new int[] {2, 1, 2, 1}) {
                double rate = DeepLearning.withIntraOpThreads(threads, () -> {
                    for (int i = 0; i < 20; i++) m.predict(packed, batch);
                    int rounds = 0; long start = System.nanoTime();
                    while (System.nanoTime() - start < 3_000_000_000L) { m.predict(packed, batch); rounds++; }
                    return rounds * (double) batch / ((System.nanoTime() - start) / 1e9);
                });
                System.out.printf("intra-op threads %d: %,.0f images/s%n", threads, rate);
            }
        }
    }
}
