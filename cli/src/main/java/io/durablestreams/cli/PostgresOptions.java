package io.durablestreams.cli;

import io.durablestreams.store.postgres.PostgresConfig;
import io.durablestreams.store.postgres.PostgresUrl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Builds the postgres store's database settings from {@code ds serve} options. */
final class PostgresOptions {
    private PostgresOptions() {}

    /**
     * The database settings of {@code --store postgres}.
     *
     * @param url          {@code --postgres-url}; required
     * @param passwordFile {@code --postgres-password-file}, or null; its trimmed content replaces a password in the URL,
     *                     so the password need not appear in a command line, environment or config file
     * @param poolSize     {@code --postgres-pool-size}
     * @throws CliException (usage) when the URL is missing or malformed, the password file unreadable or the pool too small
     */
    static PostgresConfig config(String url, Path passwordFile, int poolSize) {
        if (url == null || url.isBlank()) {
            throw new CliException(ExitCode.USAGE, "--store postgres needs --postgres-url postgresql://USER@HOST:PORT/DB "
                    + "(or " + ConfigDefaults.envName("postgres-url") + ")");
        }
        try {
            PostgresUrl parsed = PostgresUrl.parse(url);
            if (passwordFile != null) {
                parsed = parsed.withPassword(new String(OptionFiles.read(passwordFile, "--postgres-password-file"), StandardCharsets.UTF_8).strip());
            }
            return new PostgresConfig(parsed, poolSize, PostgresConfig.DEFAULT_CONNECT_TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage(), e);
        }
    }
}
