package io.durablestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Usage errors are short enough to read; every command tells its version. */
class UsageErrorTest {
    private final Cli ds = new Cli("http://127.0.0.1:1/v1/stream/");

    @Test
    void aBadFlagIsOneLineAndAHintNotTheWholeHelp() {
        Cli.Result r = ds.run("serve", "--long-pol-timeout", "1s");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.stderr().lines()).hasSizeLessThanOrEqualTo(3);
        assertThat(r.stderr()).contains("ds serve: Unknown options: '--long-pol-timeout'")
                .contains("did you mean --long-poll-timeout")
                .contains("Run 'ds serve --help' for usage.");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMissingArgumentNamesIt() {
        Cli.Result r = ds.run("create");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.stderr().lines()).hasSize(2);
        assertThat(r.stderr()).contains("ds create: Missing required parameter");
    }

    @Test
    void everyCommandPrintsTheVersion() {
        assertThat(ds.run("--version").out().trim()).isEqualTo(Ds.VERSION);
        assertThat(ds.run("serve", "--version").out().trim()).isEqualTo(Ds.VERSION);
        assertThat(ds.run("read", "--version").out().trim()).isEqualTo(Ds.VERSION);
    }
}
