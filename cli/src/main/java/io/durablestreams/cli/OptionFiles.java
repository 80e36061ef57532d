package io.durablestreams.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Files named by options (keys, secrets, passwords): read whole, with a one-line usage error when they cannot be. */
final class OptionFiles {
    private OptionFiles() {}

    /**
     * The bytes of {@code file}, named by {@code option}.
     *
     * @throws CliException (usage) naming the option, the file and why it cannot be read
     */
    static byte[] read(Path file, String option) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            String reason = e instanceof NoSuchFileException ? "no such file"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
            throw new CliException(ExitCode.USAGE, "cannot read " + option + " " + file + ": " + reason, e);
        }
    }
}
