package io.moxing.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.moxing.SharedHome;
import io.moxing.TestFiles;
import io.moxing.core.Json;
import io.moxing.store.Database;
import io.moxing.store.SqlBilling;
import io.moxing.train.TrainResult;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The moxing command as a user runs it: exit codes, one-line errors, --json last lines. */
class CliTest {
    @TempDir Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setProperty("moxing.home", tmp.resolve("home").toString());
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
        System.clearProperty("moxing.home");
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args);
    }

    private String error() {
        // on a processor NNPACK refuses, the command that starts the engine first also says so, once per JVM
        String text = err.toString(StandardCharsets.UTF_8).replaceAll("(?m)^note: NNPACK .*\\R", "");
        assertFalse(text.contains("\tat "), "no stack trace: " + text);
        assertEquals(1, text.strip().lines().count(), "one line: " + text);
        return text.strip();
    }

    private JsonNode lastJson() throws Exception {
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        return Json.MAPPER.readTree(lines[lines.length - 1]);
    }

    @Test
    void jobsAreQueuedShownAndCancelledWithoutAServerAndMistakesAreOneLine() throws Exception {
        assertEquals(0, run("jobs", "submit", "train", "mlp-toy", "--epochs", "2", "--name", "queued-toy", "--json"));
        JsonNode job = lastJson();
        String id = job.get("id").asText();
        assertEquals("queued", job.get("state").asText());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("moxing jobs show " + id));
        assertEquals(0, run("jobs", "list", "--json"));
        assertEquals(id, lastJson().get("jobs").get(0).get("id").asText());
        assertEquals(0, run("jobs", "show", id));
        String shown = out.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("queued") && shown.contains("resume ref: -") && shown.contains("\"epochs\":2"), shown);
        assertEquals(0, run("jobs", "cancel", id, "--json"));
        assertEquals("cancelled", lastJson().get("state").asText());

        assertEquals(2, run("jobs", "cancel", id));
        assertTrue(error().contains("has already cancelled"), error());
        assertEquals(2, run("jobs", "show", "job-nope"));
        assertEquals("error: no job 'job-nope'; see moxing jobs list", error());
        assertEquals(2, run("jobs", "submit", "train", "cnn-28", "--epochs", "0"));
        assertTrue(error().contains("field \"epochs\" must be a positive integer"), error());
        assertEquals(2, run("jobs", "list", "--state", "done"));
        assertTrue(error().contains("not one of queued, running, succeeded, failed, cancelled"), error());
    }

    /** A CSV of Gaussian points (x1, x2) labelled by a rule. */
    private static Path points(Path file, int count, long seed,
                               java.util.function.BiFunction<Double, Double, String> label) throws Exception {
        StringBuilder rows = new StringBuilder("x1,x2,label\n");
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < count; i++) {
            double a = r.nextGaussian(), b = r.nextGaussian();
            rows.append(a).append(',').append(b).append(',').append(label.apply(a, b)).append('\n');
        }
        Files.writeString(file, rows.toString());
        return file;
    }

    @Test
    void missingDataPath() {
        assertEquals(2, run("data", "import", "things", "--path", tmp.resolve("nowhere").toString()));
        assertEquals("error: " + tmp.resolve("nowhere") + ": no such file or directory; give the data's location with --path",
                error());
    }

    @Test
    void anUnknownTaskIsRefusedNamingTheOptionAndTheTasksATableCanHave() throws Exception {
        Path csv = tmp.resolve("t.csv");
        Files.writeString(csv, "a,y\n1,0\n2,1\n");
        assertEquals(2, run("data", "import", "t", "--path", csv.toString(), "--label", "y", "--task", "language-modeling"));
        assertEquals("error: --task 'language-modeling' must be classification or regression", error());
        assertFalse(Files.exists(tmp.resolve("home/datasets/t")));
    }

    @Test
    void badCsvCellLeavesNothingHalfWritten() throws Exception {
        Path csv = tmp.resolve("t.csv");
        Files.writeString(csv, "a,y\n1,0\nx1,1\n2,0\n3,1\n");
        assertEquals(2, run("data", "import", "t", "--path", csv.toString(), "--label", "y"));
        assertTrue(error().contains("line 3: column 'a': 'x1' is not a number"));
        Path datasets = tmp.resolve("home/datasets");
        assertFalse(Files.exists(datasets.resolve("t")));
        if (Files.exists(datasets.resolve(".staging"))) {
            try (var s = Files.list(datasets.resolve(".staging"))) {
                assertEquals(0, s.count());
            }
        }
    }

    @Test
    void unknownLayerTypeInAUsersSpec() throws Exception {
        Path spec = tmp.resolve("my-spec.json");
        Files.writeString(spec, "{\"name\": \"mine\", \"input\": [1, 28, 28], \"layers\": [{\"type\": \"flatten\"},"
                + " {\"type\": \"denze\", \"units\": 10}], \"optimizer\": {\"type\": \"adam\", \"lr\": 0.001},"
                + " \"training\": {\"epochs\": 1, \"batch_size\": 32}}");
        assertEquals(2, run("train", spec.toString(), "--data", "fashion-mnist"));
        assertTrue(error().startsWith("error: " + spec + ": layers[1] (denze): unknown layer type 'denze'"));
        assertFalse(Files.exists(tmp.resolve("home/runs")), "no run was started");
    }

    @Test
    void unknownDataSetAndWrongShapeAreExplained() throws Exception {
        assertEquals(2, run("train", "cnn-28", "--data", "no-such-data"));
        assertTrue(error().contains("no data set named 'no-such-data'"));
        Path csv = tmp.resolve("t.csv");
        Files.writeString(csv, "a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,10,0\n");
        assertEquals(0, run("data", "import", "tiny", "--path", csv.toString(), "--label", "y", "--json"));
        assertEquals("tiny", lastJson().path("name").asText());
        assertEquals(2, run("train", "cnn-28", "--data", "tiny"));
        assertTrue(error().contains("has samples of shape [2] but cnn-28 expects [1, 28, 28]"));
    }

    @Test
    void trainsAUsersSpecOnATableAndPredictsAJsonRow() throws Exception {
        Path csv = points(tmp.resolve("t.csv"), 300, 3, (a, b) -> a + b > 0 ? "up" : "down");
        assertEquals(0, run("data", "import", "points", "--path", csv.toString(), "--label", "label"));
        Path spec = tmp.resolve("points.json");
        Files.writeString(spec, "{\"name\": \"points\", \"input\": [2], \"layers\": [{\"type\": \"dense\", \"units\": 8,"
                + " \"activation\": \"tanh\"}, {\"type\": \"dropout\", \"rate\": 0.1}, {\"type\": \"dense\", \"units\": 2,"
                + " \"activation\": \"softmax\"}], \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1, \"momentum\": 0.9},"
                + " \"training\": {\"epochs\": 20, \"batch_size\": 16, \"seed\": 1, \"schedule\": \"cosine\"}}");
        assertEquals(0, run("train", spec.toString(), "--data", "points", "--json"));
        JsonNode result = lastJson();
        assertTrue(result.path("test_accuracy").asDouble() > 0.9, result.toString());
        Path row = tmp.resolve("row.json");
        Files.writeString(row, "[2.0, 1.5]");
        assertEquals(0, run("predict", "points", "--input", row.toString(), "--json"));
        assertEquals("up", lastJson().path("predictions").get(0).path("label").asText());
        Files.writeString(row, "[2.0]");
        assertEquals(2, run("predict", "points", "--input", row.toString()));
        assertTrue(error().contains("1 numbers, but model points:1 takes 2"));
    }

    @Test
    void trainsABinaryClassifierWithSigmoidAndBinaryCrossEntropy() throws Exception {
        Path csv = points(tmp.resolve("b.csv"), 400, 5, (a, b) -> a - b > 0.3 ? "spam" : "ham");
        assertEquals(0, run("data", "import", "mail", "--path", csv.toString(), "--label", "label"));
        Path spec = tmp.resolve("mail.json");
        Files.writeString(spec, "{\"name\": \"mail\", \"input\": [2], \"layers\": [{\"type\": \"dense\", \"units\": 8,"
                + " \"activation\": \"relu\"}, {\"type\": \"dense\", \"units\": 1, \"activation\": \"sigmoid\"}],"
                + " \"loss\": \"binary_cross_entropy\", \"optimizer\": {\"type\": \"adam\", \"lr\": 0.02},"
                + " \"training\": {\"epochs\": 30, \"batch_size\": 32, \"seed\": 2}}");
        assertEquals(0, run("train", spec.toString(), "--data", "mail", "--json"));
        JsonNode result = lastJson();
        assertTrue(result.path("test_accuracy").asDouble() > 0.9, result.toString());
        assertTrue(result.path("val_accuracy").asDouble() > 0.9, result.toString());
        double trainedAccuracy = result.path("test_accuracy").asDouble();
        assertEquals(0, run("eval", "mail", "--data", "mail", "--json"));
        assertTrue(lastJson().path("eval").path("roc_auc").asDouble() > 0.95);
        // `moxing eval` reads a single sigmoid output as the training run did
        assertEquals(trainedAccuracy, lastJson().path("eval").path("accuracy").asDouble(), 1e-9);
        Path row = tmp.resolve("row.json");
        Files.writeString(row, "[[3.0, -1.0], [-2.0, 2.0]]");
        assertEquals(0, run("predict", "mail", "--input", row.toString(), "--json"));
        JsonNode predictions = lastJson().path("predictions");
        assertEquals("spam", predictions.get(0).path("label").asText());
        assertEquals("ham", predictions.get(1).path("label").asText());
    }

    @Test
    void aLayerStartsFromARegisteredModelsWeightsAndStaysFrozen() throws Exception {
        Path csv = points(tmp.resolve("p.csv"), 300, 9, (a, b) -> a + b > 0 ? "up" : "down");
        assertEquals(0, run("data", "import", "pts", "--path", csv.toString(), "--label", "label"));
        String layers = "{\"type\": \"dense\", \"units\": 6, \"activation\": \"tanh\"%s},"
                + " {\"type\": \"dense\", \"units\": 2, \"activation\": \"softmax\"}";
        String spec = "{\"name\": \"%s\", \"input\": [2], \"layers\": [" + layers + "],"
                + " \"optimizer\": {\"type\": \"adam\", \"lr\": 0.05}, \"training\": {\"epochs\": 5, \"batch_size\": 16}}";
        Path source = tmp.resolve("source.json");
        Files.writeString(source, String.format(spec, "source", ""));
        assertEquals(0, run("train", source.toString(), "--data", "pts"));
        Path transfer = tmp.resolve("transfer.json");
        Files.writeString(transfer, String.format(spec, "transfer", ", \"pretrained\": \"source:1\", \"trainable\": false"));
        assertEquals(0, run("train", transfer.toString(), "--data", "pts", "--json"));
        assertTrue(lastJson().path("test_accuracy").asDouble() > 0.8);
        var registry = new io.moxing.registry.ModelRegistry(tmp.resolve("home/models"));
        try (var a = io.moxing.predict.LoadedModel.load(registry.resolve("source:1"));
             var b = io.moxing.predict.LoadedModel.load(registry.resolve("transfer:1"))) {
            var pa = a.compiled().layerBlocks().get(0).getParameters().values();
            var pb = b.compiled().layerBlocks().get(0).getParameters().values();
            for (int k = 0; k < pa.size(); k++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(pa.get(k).getArray().toFloatArray(),
                        pb.get(k).getArray().toFloatArray(), 0f, "layer 0 parameter " + k);
            }
        }
        Files.writeString(transfer, String.format(spec, "transfer", ", \"pretrained\": \"source:1\"")
                .replace("\"units\": 6", "\"units\": 7"));
        assertEquals(2, run("train", transfer.toString(), "--data", "pts"));
        assertTrue(error().contains("has shape (7, 2) but source:1's has (6, 2)"), err.toString());
    }

    @Test
    void predictsAnImageWithTheTrainedCnnAndRejectsNonImages() throws Exception {
        TrainResult trained = SharedHome.cnn();
        System.setProperty("moxing.home", SharedHome.home().root().toString());
        Path png = tmp.resolve("shoe.png");
        Files.write(png, TestFiles.png(28, 28, Color.DARK_GRAY));
        assertEquals(0, run("predict", trained.model(), "--input", png.toString(), "--json"));
        JsonNode p = lastJson().path("predictions").get(0);
        assertEquals(10, p.path("probabilities").size());
        double sum = 0;
        for (JsonNode v : p.path("probabilities")) sum += v.asDouble();
        assertEquals(1.0, sum, 1e-4);
        Path text = tmp.resolve("not-an-image.png");
        Files.writeString(text, "hello");
        assertEquals(2, run("predict", trained.model(), "--input", text.toString()));
        assertEquals("error: " + text + ": not a readable JPEG or PNG image (unknown format)", error());
        assertEquals(0, run("models", "list", "--json"));
        assertTrue(lastJson().path("models").size() >= 1);
        assertEquals(0, run("eval", trained.model(), "--data", "fashion-mnist", "--json"));
        assertEquals(trained.testAccuracy(), lastJson().path("eval").path("accuracy").asDouble(), 1e-9);
    }

    @Test
    void deploysListsAndUndeploys() throws Exception {
        TrainResult trained = SharedHome.cnn();
        System.setProperty("moxing.home", SharedHome.home().root().toString());
        assertEquals(0, run("deploy", trained.model() + ":" + trained.version(), "--name", "cli-shop", "--alias", "canary",
                "--weight", "10", "--max-batch", "8", "--json"));
        JsonNode deployed = lastJson();
        assertEquals("cli-shop", deployed.get("deployment").asText());
        assertEquals(10, deployed.get("weight").asInt());
        assertEquals(8, deployed.get("max_batch").asInt());
        assertEquals(0, run("deployments", "--json"));
        assertTrue(lastJson().get("deployments").toString().contains("\"cli-shop\""));
        assertEquals(2, run("deploy", "no-such-model"));
        assertTrue(error().contains("no-such-model"));
        assertEquals(2, run("deploy", trained.model(), "--weight", "150"));
        assertTrue(error().contains("between 0 and 100"));
        assertEquals(0, run("undeploy", "cli-shop", "--json"));
        assertEquals(1, lastJson().get("removed").asInt());
        assertEquals(2, run("undeploy", "cli-shop"));
        assertTrue(error().contains("nothing deployed as 'cli-shop'"));
    }

    /**
     * The transformer-lm template on a real slice (Tang poems from fortunes-zh, imported from the file
     * as a user would import their own corpus): trains, registers with its tokenizer, writes text,
     * and turns the usual mistakes into one-line messages.
     */
    @Test
    void languageModelTrainsOnAUsersCorpusAndWrites() throws Exception {
        assertEquals(0, run("data", "import", "poems", "--path", "/usr/share/games/fortunes/tang300", "--format", "text"));
        assertEquals(0, run("train", "transformer-lm", "--data", "poems", "--epochs", "1", "--limit", "24",
                "--name", "poet", "--json"));
        JsonNode trained = lastJson();
        double perplexity = trained.get("val_perplexity").asDouble();
        assertTrue(perplexity > 1 && perplexity < 5000, "validation perplexity " + perplexity);
        assertTrue(trained.get("bigram_perplexity").asDouble() > 1);
        assertTrue(trained.get("train_tokens_per_second").asDouble() > 0);

        assertEquals(0, run("generate", "poet", "--prompt", "春", "--max-tokens", "12", "--temperature", "0", "--json"));
        JsonNode greedy = lastJson();
        assertEquals(12, greedy.get("tokens").asInt());
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("春"), "the prompt and the stream come first");
        assertEquals(0, run("generate", "poet", "--prompt", "春", "--max-tokens", "12", "--temperature", "0", "--no-cache",
                "--json"));
        assertEquals(greedy.get("text").asText(), lastJson().get("text").asText(), "cache and re-running agree");

        // a user's text is arbitrary: a character the model never saw is read as unknown, and the user is told once
        assertEquals(0, run("generate", "poet", "--prompt", "春\u2603", "--max-tokens", "3"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("never saw in training (\u2603)"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, run("generate", "cnn-missing", "--prompt", "春"));
        error();
        assertEquals(2, run("train", "transformer-lm", "--data", "fashion-mnist", "--epochs", "1", "--limit", "10"));
        assertTrue(error().contains("language models train on text"));
    }

    @Test
    void emptyCorpusIsAClearError() throws Exception {
        Path empty = tmp.resolve("empty.txt");
        Files.writeString(empty, "%\n\n%\n");
        int code = run("data", "import", "nothing", "--path", empty.toString(), "--format", "text");
        if (code == 0) {
            assertEquals(2, run("train", "transformer-lm", "--data", "nothing", "--epochs", "1"));
        } else {
            assertEquals(2, code);
        }
        assertTrue(error().toLowerCase().contains("no "), "says what is missing");
    }

    @Test
    void aTextCorpusIsStoredWithItsPersonalDataRedactedAndTheReportCountsIt() throws Exception {
        String id = "11010519491231002X";
        Path corpus = tmp.resolve("notes.txt");
        Files.writeString(corpus, String.join("\n", "请联系zhang.san@example.com或13800138000", "%",
                "身份证" + id + "，卡号6222 0212 3456 7890 128", "%",
                "服务器192.168.1.20和2001:db8::1宕机，找li@example.org", "%",
                "+1 (415) 555-2671 回电；假卡号6222 0212 3456 7890 129不算", "%", "床前明月光", ""));
        assertEquals(0, run("data", "import", "notes", "--path", corpus.toString(), "--format", "text", "--redact-pii",
                "--validation-fraction", "0", "--test-fraction", "0", "--json"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(
                "redacted PII: email 2, phone 2, cn_resident_id 1, bank_card 1, iban 0, us_ssn 0, ipv4 1, ipv6 1"), out.toString());
        JsonNode manifest = lastJson();
        JsonNode counts = manifest.get("cleaning").get("pii_redacted");
        assertEquals(2, counts.get("email").asInt());
        assertEquals(2, counts.get("phone").asInt());
        assertEquals(1, counts.get("cn_resident_id").asInt());
        assertEquals(1, counts.get("bank_card").asInt());
        assertEquals(1, counts.get("ipv4").asInt());
        assertEquals(1, counts.get("ipv6").asInt());
        assertEquals("true", manifest.get("options").get("redact_pii").asText());

        String stored = Files.readString(tmp.resolve("home/datasets/notes").resolve(manifest.get("version").asText())
                .resolve("train.txt"));
        for (String pii : new String[] {"zhang.san@example.com", "13800138000", id, "6222 0212 3456 7890 128",
                "192.168.1.20", "2001:db8::1", "li@example.org", "555-2671"}) {
            assertFalse(stored.contains(pii), pii + " is stored: " + stored);
        }
        assertTrue(stored.contains("请联系[EMAIL]或[PHONE]") && stored.contains("6222 0212 3456 7890 129")
                && stored.contains("床前明月光"), stored);

        assertEquals(0, run("data", "show", "notes"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("redacted PII: email 2, phone 2"), "the stored report reads back");

        Path table = points(tmp.resolve("points.csv"), 20, 1, (a, b) -> a > b ? "up" : "down");
        assertEquals(2, run("data", "import", "points", "--path", table.toString(), "--label", "label", "--redact-pii"));
        assertEquals("error: --redact-pii works on text corpora only, and " + table + " is detected as csv; "
                + "import it without --redact-pii, or as --format text", error());
    }

    @Test
    void theBusinessLayerFromTheCommandLine() throws Exception {
        assertEquals(0, run("plans", "create", "pro", "--kind", "subscription", "--monthly-fee", "49.00", "--included", "1000",
                "--overage", "0.002", "--json"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"monthly_fee\":49.00"), "amounts are written exactly");
        assertEquals(2, run("plans", "create", "pro", "--kind", "subscription", "--monthly-fee", "49.00", "--overage", "0"));
        assertTrue(error().contains("exists"));
        assertEquals(2, run("plans", "create", "broken", "--kind", "subscription"));
        assertTrue(error().contains("needs --monthly-fee"), "the plan's rule names the option, not the field: " + error());
        assertEquals(2, run("plans", "create", "broken", "--kind", "subscription", "--monthly-fee", "9"));
        assertTrue(error().contains("needs --overage (0 for none)"), error());
        assertEquals(2, run("plans", "create", "burst", "--kind", "free", "--quota", "10", "--rate", "1", "--burst", "0"));
        assertTrue(error().contains("plan burst: --burst must be"), "the plan's own name is left as it is: " + error());
        assertEquals(2, run("plans", "create", "x", "--kind", "gold"));
        assertTrue(error().contains("free, subscription, pay-per-use"));

        assertEquals(0, run("tenants", "create", "acme", "--plan", "pro"));
        assertEquals(2, run("tenants", "create", "other", "--plan", "nope"));
        assertTrue(error().contains("no plan 'nope'"));
        assertEquals(0, run("keys", "create", "acme", "--models", "cnn-28", "--json"));
        String key = lastJson().get("key").asText();
        assertTrue(key.startsWith("mx_live_"));
        assertEquals(0, run("keys", "list", "acme", "--json"));
        assertFalse(out.toString(StandardCharsets.UTF_8).contains(key.substring(21)), "listings never show the secret");
        assertEquals("cnn-28", lastJson().at("/keys/0/models/0").asText());
        assertEquals(2, run("keys", "create", "acme", "--expires", "someday"));
        assertTrue(error().contains("--expires 'someday'"));

        assertEquals(0, run("invoices", "preview", "acme", "--json", "--html", tmp.resolve("acme.html").toString()));
        assertEquals("USD", lastJson().get("currency").asText());
        assertTrue(Files.readString(tmp.resolve("acme.html")).contains("Subscription fee"));
        assertEquals(2, run("invoices", "issue", "acme", "--period", "2999-01"));
        assertTrue(error().contains("has not ended"));
        assertEquals(2, run("invoices", "issue", "acme", "--period", "last month"));
        assertTrue(error().contains("YYYY-MM"));
        assertEquals(0, run("usage", "--by", "model", "--json"));
        assertEquals(2, run("usage", "--by", "colour"));

        assertEquals(0, run("economics", "--compute-hour", "0.36", "--fixed-monthly", "100", "--json"));
        assertEquals("0.36", lastJson().at("/costs/per_compute_hour").asText());
        assertTrue(Files.list(tmp.resolve("home").resolve("reports")).anyMatch(f -> f.toString().endsWith("-volume.png")));
        assertEquals(0, run("audit", "--json"));
        assertEquals(-1, lastJson().get("first_broken").asLong());
        assertTrue(lastJson().get("entries").size() >= 4);
        assertEquals(0, run("audit", "--limit", "1", "--json"));
        assertEquals(1, lastJson().get("entries").size());
        assertEquals(2, run("audit", "--limit", "-1"));
        assertTrue(error().contains("--limit -1"), error());
        // no terminal here (System.console() is null), as under a service manager: the token goes to a file
        assertEquals(0, run("admin-token", "--json"));
        Path file = Path.of(lastJson().get("admin_token_file").asText());
        assertEquals(tmp.resolve("home/secrets/admin-token"), file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String token = Files.readString(file).strip();
        assertTrue(token.startsWith("mx_admin_"), token);
        assertFalse(out.toString(StandardCharsets.UTF_8).contains(token.substring("mx_admin_".length())),
                "the token's secret is not on stdout");
        var billing = SqlBilling.open(Database.open(null, tmp.resolve("home/moxing.db")));
        assertTrue(billing.admin(token).isPresent(), "the written token signs in");
        assertEquals(0, run("admin-token"));
        assertTrue(billing.admin(token).isEmpty(), "a new token revokes the one in the file");
        assertTrue(billing.admin(Files.readString(file).strip()).isPresent(), "and the file holds the new one");
    }

    @Test
    void onATerminalTheAdminTokenIsPrintedAndNoRevokedOneIsLeftInAFile() throws Exception {
        var home = new io.moxing.core.MoxingHome(tmp.resolve("home"));
        Output printed = new Output(System.out, true);
        new AdminTokenHandover(home, false).handOver("mx_admin_old_secret1", printed, "test");
        Map<String, String> result = new AdminTokenHandover(home, true).handOver("mx_admin_new_secret2", printed, "test");
        assertEquals(Map.of("admin_token", "mx_admin_new_secret2"), result);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\nmx_admin_new_secret2\n"));
        assertFalse(Files.exists(home.secrets().resolve("admin-token")));
    }

    @Test
    void aNewVersionWithOtherClassesIsRefusedBeforeTrainingAndTheMessageNamesTheWayOut() throws Exception {
        Path moves = points(tmp.resolve("moves.csv"), 200, 3, (a, b) -> a + b > 0 ? "up" : "down");
        assertEquals(0, run("data", "import", "moves", "--path", moves.toString(), "--label", "label"));
        Path mail = points(tmp.resolve("mail.csv"), 200, 4, (a, b) -> a - b > 0 ? "spam" : "ham");
        assertEquals(0, run("data", "import", "mail", "--path", mail.toString(), "--label", "label"));
        Path spec = twoClassSpec("two");
        assertEquals(0, run("train", spec.toString(), "--data", "moves"));
        assertEquals(0, run("train", spec.toString(), "--data", "moves"), "the same classes make a new version");
        long runs = runCount();

        assertEquals(2, run("train", spec.toString(), "--data", "mail"));
        String message = error();
        assertTrue(message.contains("classes [ham, spam] where two:2 has [down, up]"), message);
        assertTrue(message.endsWith("--name two-mail"), message);
        assertEquals(runs, runCount(), "refused before a run started");
        assertFalse(Files.exists(tmp.resolve("home/models/two/3")));

        assertEquals(0, run("train", spec.toString(), "--data", "mail", "--name", "two-mail", "--json"));
        assertEquals("two-mail", lastJson().get("model").asText());
    }

    @Test
    void modelsListRoundsMetricsAsTheOtherTablesDo() throws Exception {
        Path moves = points(tmp.resolve("moves.csv"), 200, 3, (a, b) -> a + b > 0 ? "up" : "down");
        assertEquals(0, run("data", "import", "moves", "--path", moves.toString(), "--label", "label"));
        assertEquals(0, run("train", twoClassSpec("two").toString(), "--data", "moves"));
        assertEquals(0, run("models", "list"));
        String listing = out.toString(StandardCharsets.UTF_8);
        assertTrue(Pattern.compile("two:1 .* final_loss=\\d+\\.\\d{4} ").matcher(listing).find(), listing);
        assertFalse(Pattern.compile("=-?\\d+\\.\\d{5,}").matcher(listing).find(), "no metric past four decimals: " + listing);
        assertEquals(0, run("models", "show", "two"));
        assertFalse(Pattern.compile("=-?\\d+\\.\\d{5,}").matcher(out.toString(StandardCharsets.UTF_8)).find());
    }

    @Test
    void anUnknownOptionPointsAtTheHelpOfTheCommandItWasGivenTo() {
        assertEquals(2, run("data", "import", "things", "--bogus"));
        assertEquals("error: Unknown option: '--bogus' (see: moxing data import --help)", error());
    }

    /** A spec for two-class rows (x1, x2), two epochs. */
    private Path twoClassSpec(String name) throws Exception {
        Path spec = tmp.resolve(name + ".json");
        Files.writeString(spec, "{\"name\": \"" + name + "\", \"input\": [2], \"layers\": [{\"type\": \"dense\","
                + " \"units\": 2, \"activation\": \"softmax\"}], \"optimizer\": {\"type\": \"adam\", \"lr\": 0.05},"
                + " \"training\": {\"epochs\": 2, \"batch_size\": 16, \"seed\": 1}}");
        return spec;
    }

    private long runCount() throws Exception {
        try (var runs = Files.list(tmp.resolve("home/runs"))) {
            return runs.count();
        }
    }
}
