package io.durablestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Option defaults: flag &gt; environment &gt; config file &gt; built-in default. */
class ConfigDefaultsTest {
    @TempDir
    Path dir;

    @Command(name = "probe")
    static final class Probe {
        @Option(names = "--long-poll-timeout", defaultValue = "30s")
        Duration longPollTimeout;

        @Option(names = "--port", defaultValue = "4437")
        int port;

        @Option(names = "--url", defaultValue = "http://built-in")
        String url;

        @Option(names = "--follow")
        boolean follow;

        @Option(names = "--config")
        String config;
    }

    private Probe parse(Map<String, String> env, String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).registerConverter(Duration.class, Durations::parse)
                .setDefaultValueProvider(ConfigDefaults.load(args, env)).parseArgs(args);
        return probe;
    }

    @Test
    void builtInDefaultsApplyWithoutEnvironmentOrFile() {
        Probe p = parse(Map.of());

        assertThat(p.longPollTimeout).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.port).isEqualTo(4437);
        assertThat(p.follow).isFalse();
    }

    @Test
    void fileOverridesBuiltInEnvironmentOverridesFileFlagOverridesAll() throws IOException {
        Path file = Files.writeString(dir.resolve("ds.conf"),
                "# defaults\nlong-poll-timeout = 5s\nport = 1000\nprobe.port = 2000\nfollow = true\n");
        Map<String, String> env = Map.of("DS_PORT", "3000");

        Probe p = parse(env, "--config", file.toString());
        assertThat(p.longPollTimeout).as("file").isEqualTo(Duration.ofSeconds(5));
        assertThat(p.port).as("environment over file").isEqualTo(3000);
        assertThat(p.follow).as("boolean from file").isTrue();

        assertThat(parse(Map.of(), "--config=" + file).port).as("command-scoped key wins").isEqualTo(2000);
        assertThat(parse(env, "--config", file.toString(), "--port", "4000").port).as("flag").isEqualTo(4000);
    }

    @Test
    void configFileMayComeFromTheEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("env.conf"), "long-poll-timeout=2m\n");

        Probe p = parse(Map.of("DS_CONFIG", file.toString(), "DS_LONG_POLL_TIMEOUT", ""));

        assertThat(p.longPollTimeout).as("empty variables are ignored").isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void streamUrlWinsOverDsUrl() {
        assertThat(parse(Map.of("DS_URL", "http://ds")).url).isEqualTo("http://ds");
        assertThat(parse(Map.of("DS_URL", "http://ds", "STREAM_URL", "http://stream")).url).isEqualTo("http://stream");
    }

    @Test
    void unreadableConfigFileIsAUsageError() {
        Cli.Result result = new Cli("http://127.0.0.1:1")
                .run("head", "x", "--config", dir.resolve("missing").toString());

        assertThat(result.code()).isEqualTo(ExitCode.USAGE);
        assertThat(result.stderr()).startsWith("ds: cannot read config file");
    }

    @Test
    void envNamesFollowOptionNames() {
        assertThat(ConfigDefaults.envName("long-poll-timeout")).isEqualTo("DS_LONG_POLL_TIMEOUT");
        assertThat(ConfigDefaults.envName("url")).isEqualTo("DS_URL");
    }

    @Test
    void serveOptionsTakeDefaultsToo() {
        Cli.Result help = new Cli("http://127.0.0.1:1").env("DS_LONG_POLL_TIMEOUT", "7s").run("serve", "--help");

        assertThat(help.out()).contains("--config", "(default: 7s)");
    }

    @Test
    void connectionTimeoutsAndLimitAreServeOptions() {
        Cli.Result help = new Cli("http://127.0.0.1:1").env("DS_IDLE_TIMEOUT", "90s").run("serve", "--help");
        assertThat(help.out()).contains("--header-timeout", "(default: 10s)", "--idle-timeout", "(default: 90s)", "--max-connections");

        Cli.Result refused = new Cli("http://127.0.0.1:1").run("serve", "--store", "memory", "--max-connections", "0");
        assertThat(refused.code()).isEqualTo(ExitCode.USAGE);
        assertThat(refused.stderr()).contains("max 0");
    }
}
