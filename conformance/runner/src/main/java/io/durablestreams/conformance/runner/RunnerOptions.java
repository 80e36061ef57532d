package io.durablestreams.conformance.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Command-line options of {@link RunnerMain}.
 *
 * @param adapter the adapter executable
 * @param cases directory of YAML cases
 * @param serverUrl an already running server, or {@code null} to start the reference server
 * @param referenceServer directory of the reference server's {@code server.mjs}
 * @param timeoutMs per-command timeout
 * @param tests test filters ({@code id}, {@code suite/id}, {@code *} wildcards); empty selects all
 * @param suites suite filters; empty selects all
 * @param includeSkipped also run tests the suite marks {@code skip}
 * @param help print usage and exit
 */
record RunnerOptions(Path adapter, Path cases, String serverUrl, Path referenceServer, long timeoutMs,
                     List<Pattern> tests, List<Pattern> suites, boolean includeSkipped, boolean help,
                     java.util.Map<String, String> deviations) {

    static final String USAGE = """
            usage: ds-client-conformance-runner [options]
              --adapter PATH           adapter executable (default: conformance/client-adapter)
              --cases DIR              YAML cases (default: ../shared/reference/client-conformance/test-cases)
              --server-url URL         run against this server instead of starting the reference server
              --reference-server DIR   reference server directory (default: conformance/reference-server)
              --timeout MS             per-command timeout (default: 30000)
              --test ID                run only this test (id or suite/id, * wildcard; repeatable)
              --suite ID               run only this suite (* wildcard; repeatable)
              --include-skipped        also run tests the suite marks skip
              --deviation ID=REASON    the server under test deliberately differs from what case ID asserts:
                                       its failure is reported as a deviation, and the run fails if it passes
              --help                   this text""";

    static RunnerOptions parse(String[] args) {
        Path root = RunnerMain.repoRoot();
        Path adapter = root.resolve("conformance/client-adapter");
        Path cases = root.resolve("../shared/reference/client-conformance/test-cases").normalize();
        Path reference = root.resolve("conformance/reference-server");
        String serverUrl = null;
        long timeoutMs = 30_000;
        List<Pattern> tests = new ArrayList<>();
        List<Pattern> suites = new ArrayList<>();
        boolean includeSkipped = false;
        boolean help = false;
        java.util.Map<String, String> deviations = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--adapter" -> adapter = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--cases" -> cases = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--server-url" -> serverUrl = stripSlash(value(args, ++i, a));
                case "--reference-server" -> reference = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--timeout" -> {
                    try {
                        timeoutMs = Long.parseLong(value(args, ++i, a));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--timeout needs milliseconds, got " + args[i]);
                    }
                    if (timeoutMs <= 0) {
                        throw new IllegalArgumentException("--timeout must be > 0");
                    }
                }
                case "--test" -> tests.add(glob(value(args, ++i, a)));
                case "--suite" -> suites.add(glob(value(args, ++i, a)));
                case "--include-skipped" -> includeSkipped = true;
                case "--deviation" -> {
                    String v = value(args, ++i, a);
                    int eq = v.indexOf('=');
                    if (eq <= 0 || eq == v.length() - 1) {
                        throw new IllegalArgumentException("--deviation needs ID=REASON, got " + v);
                    }
                    deviations.put(v.substring(0, eq), v.substring(eq + 1));
                }
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option: " + a);
            }
        }
        return new RunnerOptions(adapter, cases, serverUrl, reference, timeoutMs, tests, suites, includeSkipped, help,
                deviations);
    }

    boolean selectsSuite(String suiteId) {
        return suites.isEmpty() || suites.stream().anyMatch(p -> p.matcher(suiteId).matches());
    }

    boolean selectsTest(String suiteId, String testId) {
        return tests.isEmpty() || tests.stream().anyMatch(p -> p.matcher(testId).matches()
                || p.matcher(suiteId + "/" + testId).matches());
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static Pattern glob(String text) {
        return Pattern.compile(Arrays.stream(text.split("\\*", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*")));
    }
}
