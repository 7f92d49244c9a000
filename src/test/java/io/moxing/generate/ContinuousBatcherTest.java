package io.moxing.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.moxing.SharedHome;
import io.moxing.predict.LoadedModel;
import io.moxing.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sequences decoded together write what each would have written alone: prompts of different lengths,
 * more requests than slots (the last ones join while others run), and windows that slide past the context.
 */
class ContinuousBatcherTest {
    private static LoadedModel model;

    @BeforeAll
    static void load() {
        var poet = SharedHome.poet();
        model = LoadedModel.load(new ModelRegistry(SharedHome.home().models()).resolve(poet.model() + ":" + poet.version()));
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    @Test
    void greedySequencesInOneBatchWriteWhatEachWritesAlone() throws Exception {
        List<String> prompts = List.of("春", "床前明月光，疑是地上霜。", "白日依山尽", "千山鸟飞绝，万径人踪灭。孤舟蓑笠翁", "红豆生南国",
                "月落乌啼霜满天");
        int context = (int) model.compiled().spec().input().get(0).longValue();
        int count = context + 40; // past the context: every window slides once
        List<int[]> alone = new ArrayList<>();
        TextGenerator generator = new TextGenerator(model.compiled(), model.manager());
        for (String p : prompts) {
            alone.add(generator.generate(model.tokenizer().encode(p), count, Sampler.greedy(), true, t -> { }));
        }
        try (ContinuousBatcher batcher = new ContinuousBatcher(model.compiled(), model.manager(), 4, 16, "test")) {
            List<ContinuousBatcher.Generation> running = new ArrayList<>();
            for (String p : prompts) {
                ContinuousBatcher.Generation g = batcher.submit(model.tokenizer().encode(p), count, Sampler.greedy(), t -> true);
                assertNotNull(g);
                running.add(g);
            }
            for (int i = 0; i < prompts.size(); i++) {
                ContinuousBatcher.Result r = running.get(i).result().get(120, TimeUnit.SECONDS);
                assertEquals(ContinuousBatcher.Finish.LENGTH, r.finish());
                assertArrayEquals(alone.get(i), r.tokens(), "prompt " + prompts.get(i) + " wrote other tokens in the batch");
            }
        }
    }

    @Test
    void aStoppedSequenceLeavesAtOnceAndFreesItsSlot() throws Exception {
        int[] prompt = model.tokenizer().encode("春眠不觉晓");
        try (ContinuousBatcher batcher = new ContinuousBatcher(model.compiled(), model.manager(), 1, 4, "test")) {
            AtomicInteger seen = new AtomicInteger();
            var stopped = batcher.submit(prompt, 200, Sampler.greedy(), t -> seen.incrementAndGet() < 5);
            var waiting = batcher.submit(prompt, 3, Sampler.greedy(), t -> true);
            ContinuousBatcher.Result first = stopped.result().get(60, TimeUnit.SECONDS);
            assertEquals(ContinuousBatcher.Finish.STOPPED, first.finish());
            assertEquals(5, first.tokens().length);
            assertEquals(3, waiting.result().get(60, TimeUnit.SECONDS).tokens().length, "the queued request got the slot");
            var cancelled = batcher.submit(prompt, 10_000, Sampler.greedy(), t -> true);
            Thread.sleep(50);
            cancelled.cancel();
            assertEquals(ContinuousBatcher.Finish.CANCELLED, cancelled.result().get(60, TimeUnit.SECONDS).finish());
        }
    }
}
