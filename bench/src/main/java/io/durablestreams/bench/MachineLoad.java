package io.durablestreams.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The load average, printed next to every measurement so that noise from other work is visible. */
public final class MachineLoad {
    private MachineLoad() {}

    public static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unavailable";
        }
    }

    /** The 1-minute load average, or NaN. */
    public static double oneMinute() {
        String s = loadavg();
        try {
            return Double.parseDouble(s.split(" ")[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    public static void log(String format, Object... args) {
        System.out.printf("[loadavg %s] %s%n", loadavg(), String.format(format, args));
        System.out.flush();
    }
}
