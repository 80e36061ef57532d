package io.durablestreams.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults for every option of every command, from the environment and an optional config file, so
 * that the precedence is: flag &gt; environment &gt; config file &gt; built-in default.
 *
 * <p>Option {@code --long-poll-timeout} reads {@code DS_LONG_POLL_TIMEOUT} from the environment and
 * {@code long-poll-timeout} (or {@code serve.long-poll-timeout}, which wins for that command only) from
 * the file. {@code --url} and {@code --auth} also read the protocol's conventional {@code STREAM_URL} and
 * {@code STREAM_AUTH}, which win over {@code DS_URL} and {@code DS_AUTH}. The file is Java properties:
 * {@code key = value} lines, {@code #} comments. Positional parameters and help flags have no defaults.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    static final String CONFIG_ENV = "DS_CONFIG";
    static final String CONFIG_OPTION = "--config";
    private static final Map<String, String> CONVENTIONAL_ENV = Map.of("url", "STREAM_URL", "auth", "STREAM_AUTH");

    private final Map<String, String> env;
    private final Properties file;

    private ConfigDefaults(Map<String, String> env, Properties file) {
        this.env = env;
        this.file = file;
    }

    /**
     * The defaults for one invocation. The config file must be known before picocli parses the
     * arguments (it applies defaults first), so {@code --config} is looked up in {@code args} here.
     *
     * @throws CliException if a config file was named but cannot be read
     */
    static ConfigDefaults load(String[] args, Map<String, String> env) {
        String path = configPath(List.of(args));
        if (path == null) {
            path = env.get(CONFIG_ENV);
        }
        Properties file = new Properties();
        if (path != null && !path.isEmpty()) {
            try (Reader r = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8)) {
                file.load(r);
            } catch (IOException | RuntimeException e) {
                throw new CliException(ExitCode.USAGE, "cannot read config file " + path + ": " + e.getMessage(), e);
            }
        }
        return new ConfigDefaults(env, file);
    }

    private static String configPath(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                return null;
            }
            if (a.equals(CONFIG_OPTION) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (a.startsWith(CONFIG_OPTION + "=")) {
                return a.substring(CONFIG_OPTION.length() + 1);
            }
        }
        return null;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String key = option.longestName().replaceFirst("^-+", "");
        String conventional = CONVENTIONAL_ENV.get(key);
        if (conventional != null && nonEmpty(env.get(conventional))) {
            return env.get(conventional);
        }
        String fromEnv = env.get(envName(key));
        if (nonEmpty(fromEnv)) {
            return fromEnv;
        }
        String command = option.command() == null ? null : option.command().name();
        String scoped = command == null ? null : file.getProperty(command + "." + key);
        return scoped != null ? scoped.trim() : trimmed(file.getProperty(key));
    }

    /** {@code long-poll-timeout} → {@code DS_LONG_POLL_TIMEOUT}. */
    static String envName(String optionKey) {
        return "DS_" + optionKey.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static String trimmed(String s) {
        return s == null ? null : s.trim();
    }
}
