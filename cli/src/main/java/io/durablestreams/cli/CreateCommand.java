package io.durablestreams.cli;

import io.durablestreams.client.CreateOptions;
import io.durablestreams.client.CreateResult;
import io.durablestreams.client.DurableStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code ds create}: creates a stream. */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Create a stream (PUT).",
                "",
                "Succeeds (exit 0) if it already exists with the same configuration; exits 3 if it exists "
                        + "with a different one.",
                ""})
final class CreateCommand extends StreamCommand {
    @Parameters(index = "0", paramLabel = "STREAM", description = "Stream name (under /v1/stream/) or full stream URL.")
    String name;

    @Option(names = {"-t", "--content-type"}, paramLabel = "TYPE", defaultValue = "application/octet-stream",
            description = "Content type of the stream; application/json makes a JSON stream that keeps message "
                    + "boundaries (default: ${DEFAULT-VALUE}).")
    String contentType;

    @Option(names = "--ttl", paramLabel = "DURATION", converter = TtlConverter.class,
            description = "Delete the stream after it has been idle this long: seconds, or 90s, 15m, 24h.")
    Long ttlSeconds;

    @Option(names = "--expires-at", paramLabel = "TIME",
            description = "Delete the stream at this time (RFC 3339, e.g. 2030-01-01T00:00:00Z).")
    String expiresAt;

    @Option(names = "--retention-age", paramLabel = "DURATION", converter = TtlConverter.class,
            description = "Keep only what was appended in the last seconds, or 90s, 15m, 24h, 7d (docs/extensions/retention.md).")
    Long retentionAge;

    @Option(names = "--retention-bytes", paramLabel = "BYTES", description = "Keep about the last BYTES bytes (whole appends).")
    Long retentionBytes;

    @Option(names = "--closed", description = "Create it closed: readers see an empty stream and EOF at once.")
    boolean closed;

    @Override
    public Integer call() {
        if (ttlSeconds != null && expiresAt != null) {
            throw new ParameterException(spec.commandLine(), "--ttl and --expires-at are mutually exclusive");
        }
        CreateOptions.Builder options = CreateOptions.newBuilder().contentType(contentType).closed(closed);
        if (ttlSeconds != null) {
            options.ttlSeconds(ttlSeconds);
        }
        if (expiresAt != null) {
            options.expiresAt(expiresAt);
        }
        if (retentionAge != null) {
            options.retentionAgeSeconds(retentionAge);
        }
        if (retentionBytes != null) {
            if (retentionBytes < 1) {
                throw new ParameterException(spec.commandLine(), "--retention-bytes must be at least 1");
            }
            options.retentionBytes(retentionBytes);
        }
        DurableStream stream = stream(name);
        CreateResult result = stream.create(options.build());
        io().err().println((result.created() ? "created " : "exists  ") + stream.url() + " (" + contentType
                + (closed ? ", closed" : "") + ")");
        return ExitCode.OK;
    }

    /** A bare number is seconds (the protocol's unit); otherwise a duration such as {@code 15m}. */
    static final class TtlConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim();
            long seconds = v.chars().allMatch(Character::isDigit) && !v.isEmpty()
                    ? Long.parseLong(v) : Durations.parse(v).toSeconds();
            if (seconds <= 0) {
                throw new TypeConversionException("the TTL must be at least 1 second, was " + value);
            }
            return seconds;
        }
    }
}
