package io.durablestreams.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The process's standard streams, environment and terminal flags, passed to every command instead of
 * {@link System} so that tests can run commands in-process with captured output.
 *
 * @param in               standard input (data for {@code write})
 * @param out              standard output (data from {@code read}, metadata from {@code head})
 * @param err              standard error (messages, offsets, progress)
 * @param env              environment variables ({@code STREAM_URL}, {@code DS_*})
 * @param stdoutIsTerminal pretty-print JSON on {@code read}
 * @param stderrIsTerminal draw progress bars
 * @param inBytes          size of standard input when it is a regular file, else -1 (progress bar total)
 */
record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
          boolean stdoutIsTerminal, boolean stderrIsTerminal, long inBytes) {

    static Io system() {
        return new Io(System.in, System.out, System.err, System.getenv(), isTerminal(1), isTerminal(2),
                stdinFileSize());
    }

    private static long stdinFileSize() {
        Path stdin = Path.of("/proc/self/fd/0");
        try {
            return Files.isRegularFile(stdin) ? Files.size(stdin) : -1;
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }

    /**
     * Java 17 can only tell whether stdin and stdout both are a terminal ({@link System#console()}). On
     * Linux the descriptor's link in /proc names its device, which answers the question for one
     * descriptor, so that {@code ds read s > file} still shows progress on stderr.
     */
    private static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
