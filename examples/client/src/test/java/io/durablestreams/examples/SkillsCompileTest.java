package io.durablestreams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent skills (skills/NAME/SKILL.md) are in the Agent Skills format and their Java compiles:
 * front matter with the folder's {@code name} and a {@code description}; every ```java block compiles
 * against the client, the Jackson codec and the server. A block that starts with {@code import} is a
 * whole source file; any other is the body of a method with a {@code DurableStreamsClient client} in scope.
 */
class SkillsCompileTest {
    private static final Path SKILLS = Path.of("../../skills");
    private static final Pattern FRONT_MATTER = Pattern.compile("\\A---\\nname: ([a-z0-9-]+)\\ndescription: (.+)\\n---\\n");
    private static final Pattern JAVA = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern TYPE = Pattern.compile("public (?:final )?(?:class|record|interface) (\\w+)");
    private static final String IMPORTS = "import io.durablestreams.client.*;\nimport java.util.*;\n"
            + "import java.util.function.*;\n";

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everySkill() throws IOException {
        List<Path> skills;
        try (Stream<Path> dirs = Files.list(SKILLS)) {
            skills = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(skills).extracting(p -> p.getFileName().toString())
                .contains("getting-started", "reading-streams", "writing-data", "server-deployment", "go-to-production");
        return skills.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
    }

    private void check(Path dir) throws IOException {
        String text = Files.readString(dir.resolve("SKILL.md"));
        Matcher front = FRONT_MATTER.matcher(text);
        assertThat(front.find()).as("front matter of %s", dir).isTrue();
        assertThat(front.group(1)).isEqualTo(dir.getFileName().toString());
        assertThat(front.group(2)).hasSizeBetween(40, 1024);

        Path src = Files.createDirectories(tmp.resolve(dir.getFileName().toString()));
        List<String> files = new ArrayList<>();
        Matcher block = JAVA.matcher(text);
        for (int n = 1; block.find(); n++) {
            String code = block.group(1);
            Path file;
            if (code.startsWith("import ")) {
                Matcher type = TYPE.matcher(code);
                assertThat(type.find()).as("block %d of %s declares a public type", n, dir).isTrue();
                file = src.resolve(type.group(1) + ".java");
                Files.writeString(file, code);
            } else {
                file = src.resolve("Snippet" + n + ".java");
                Files.writeString(file, IMPORTS + "class Snippet" + n + " {\n    void run(DurableStreamsClient client)"
                        + " throws Exception {\n" + code + "    }\n}\n");
            }
            files.add(file.toString());
        }
        assertThat(files).as("%s has Java blocks", dir).isNotEmpty();

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("-d", src.resolve("classes").toString(), "-classpath",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), "-Xlint:none"));
        args.addAll(files);
        int status = javac.run(null, errors, errors, args.toArray(String[]::new));
        assertThat(status).as("the Java of %s compiles:%n%s", dir, errors.toString(StandardCharsets.UTF_8)).isZero();
    }
}
