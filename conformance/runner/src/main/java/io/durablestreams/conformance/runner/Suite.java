package io.durablestreams.conformance.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One YAML file of cases. YAML is loaded with SnakeYAML's safe constructor and kept as a Jackson tree,
 * so that operations can be turned into adapter commands and compared field by field.
 *
 * @param file where it came from
 * @param id the suite id
 * @param requires feature flags every test of the suite needs
 * @param tests the test cases, in file order
 */
record Suite(Path file, String id, List<String> requires, List<JsonNode> tests) {

    /** All suites under {@code dir}, files in sorted path order (the official runner's walk order). */
    static List<Suite> loadAll(Path dir, ObjectMapper mapper) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        }
        List<Suite> suites = new ArrayList<>();
        for (Path f : files) {
            suites.add(load(f, mapper));
        }
        return suites;
    }

    static Suite load(Path file, ObjectMapper mapper) throws IOException {
        Object yaml;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        }
        JsonNode root = mapper.valueToTree(yaml);
        if (root == null || !root.path("id").isTextual() || !root.path("tests").isArray()) {
            throw new IOException(file + ": not a suite (needs id and tests)");
        }
        List<String> requires = new ArrayList<>();
        root.path("requires").forEach(n -> requires.add(n.asText()));
        List<JsonNode> tests = new ArrayList<>();
        root.path("tests").forEach(tests::add);
        return new Suite(file, root.get("id").asText(), requires, tests);
    }
}
