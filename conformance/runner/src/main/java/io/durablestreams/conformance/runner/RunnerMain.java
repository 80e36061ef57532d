package io.durablestreams.conformance.runner;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the official client conformance YAML cases against a client adapter, like the official
 * TypeScript runner but stricter (ADAPTER.md §3.9).
 *
 * <pre>
 * java -jar ds-client-conformance-runner.jar [--adapter PATH] [--cases DIR] [--server-url URL]
 *     [--reference-server DIR] [--timeout MS] [--test ID]... [--suite ID]... [--include-skipped]
 * </pre>
 * Without {@code --server-url} the Node reference server is started from {@code --reference-server}
 * (default {@code conformance/reference-server}). Exit code: 0 when no test failed, 1 otherwise, 2 on
 * bad usage.
 */
public final class RunnerMain {
    private RunnerMain() {
    }

    /** Command-line entry point. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        RunnerOptions options;
        try {
            options = RunnerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(RunnerOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            out.println(RunnerOptions.USAGE);
            return;
        }
        int failed;
        try {
            failed = run(options, out);
        } catch (IOException | RuntimeException e) {
            System.err.println("conformance run aborted: " + e);
            System.exit(1);
            return;
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    private static int run(RunnerOptions options, PrintStream out) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
        List<Suite> suites = Suite.loadAll(options.cases(), mapper);
        ReferenceServer reference = null;
        String serverUrl = options.serverUrl();
        if (serverUrl == null) {
            reference = ReferenceServer.start(options.referenceServer());
            serverUrl = reference.url();
            out.println("Reference server started at " + serverUrl);
        } else {
            out.println("Using server at " + serverUrl);
        }
        int passed = 0;
        int failed = 0;
        int deviated = 0;
        int skipped = 0;
        List<String> failures = new ArrayList<>();
        try (AdapterProcess adapter = new AdapterProcess(options.adapter(), mapper)) {
            ObjectNode init = mapper.createObjectNode().put("type", "init").put("serverUrl", serverUrl);
            JsonNode initReply = adapter.call(init, 30_000);
            if (!initReply.path("success").asBoolean(false)) {
                throw new IOException("adapter init failed: " + initReply);
            }
            JsonNode features = initReply.path("features");
            out.println("Client: " + initReply.path("clientName").asText() + " v"
                    + initReply.path("clientVersion").asText() + ", features: " + features);
            TestExecutor executor = new TestExecutor(adapter, new ServerActions(serverUrl, mapper), mapper, features,
                    options.timeoutMs(), options.includeSkipped());
            long start = System.currentTimeMillis();
            for (Suite suite : suites) {
                if (!options.selectsSuite(suite.id())) {
                    continue;
                }
                boolean printedHeader = false;
                for (JsonNode test : suite.tests()) {
                    String id = test.path("id").asText();
                    if (!options.selectsTest(suite.id(), id)) {
                        continue;
                    }
                    if (!printedHeader) {
                        out.println();
                        out.println(suite.id() + " (" + options.cases().relativize(suite.file()) + ")");
                        printedHeader = true;
                    }
                    TestExecutor.Result r = executor.run(suite, test);
                    String deviation = options.deviations().get(id);
                    if (deviation != null && r.status() == TestExecutor.Status.FAILED) {
                        deviated++;
                        out.println("  DEVIATION " + id + " (" + r.millis() + " ms): " + r.detail() + " — " + deviation);
                        continue;
                    }
                    if (deviation != null && r.status() == TestExecutor.Status.PASSED) {
                        failed++;
                        failures.add(suite.id() + "/" + id + ": passed, but is declared a deviation; remove --deviation");
                        out.println("  FAIL " + id + ": passed although declared a deviation");
                        continue;
                    }
                    switch (r.status()) {
                        case PASSED -> {
                            passed++;
                            out.println("  PASS " + id + " (" + r.millis() + " ms)");
                        }
                        case SKIPPED -> {
                            skipped++;
                            out.println("  SKIP " + id + " (" + r.detail() + ")");
                        }
                        case FAILED -> {
                            failed++;
                            failures.add(suite.id() + "/" + id + ": " + r.detail());
                            out.println("  FAIL " + id + " (" + r.millis() + " ms): " + r.detail());
                        }
                    }
                }
            }
            try {
                adapter.call(mapper.createObjectNode().put("type", "shutdown"), 5_000);
            } catch (IOException ignored) {
                // The adapter is terminated below anyway, as the official runner does.
            }
            out.println();
            out.println("=".repeat(60));
            out.printf("Total: %d, passed: %d, failed: %d, skipped: %d, in %.1f s%n", passed + failed + skipped,
                    passed, failed, skipped, (System.currentTimeMillis() - start) / 1000.0);
            if (!failures.isEmpty()) {
                out.println("Failed tests:");
                failures.forEach(f -> out.println("  - " + f));
            }
            out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped"
                    + (deviated > 0 ? ", " + deviated + " documented deviations" : ""));
        } finally {
            if (reference != null) {
                reference.close();
            }
        }
        if (passed + failed + deviated == 0) {
            out.println("No test was run.");
            return 1;
        }
        return failed;
    }

    /** Walks up from the working directory to the repository root (the one holding conformance/). */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("conformance/client-adapter"))) {
                return p;
            }
        }
        return dir;
    }
}
