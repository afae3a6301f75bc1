package billswitch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The benchmark's command line: what it runs with, and a clear refusal of what it cannot. */
class BenchOptionsTest {

    @Test
    void optionsAreReadWithTheirDefaults() {
        Bench.Options o = Bench.Options.parse(new String[] {"--only", "a,eko", "--seconds", "20", "--out", "x", "--tcp"});
        assertThat(o.seconds()).isEqualTo(20);
        assertThat(o.warmupSeconds()).isEqualTo(90);
        assertThat(o.out()).isEqualTo(Path.of("x"));
        assertThat(o.tcp()).isTrue();
        assertThat(o.runs("a")).isTrue();
        assertThat(o.runs("eko")).isTrue();
        assertThat(o.runs("b")).isFalse();
        assertThat(Bench.Options.parse(new String[] {"--smoke"}).seconds()).isEqualTo(3);
        Bench.Options http = Bench.Options.parse(new String[] {"--only", "a,http-connector,http-in-flight"});
        assertThat(http.runs("http-connector")).isTrue();
        assertThat(http.runs("http-in-flight")).isTrue();
        assertThat(http.runs("c")).isFalse();
    }

    @Test
    void badOptionsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> Bench.Options.parse(new String[] {"--help"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown option --help");
        assertThatThrownBy(() -> Bench.Options.parse(new String[] {"--seconds"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--seconds needs a value");
        assertThatThrownBy(() -> Bench.Options.parse(new String[] {"--warmup", "ten"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--warmup takes a whole number of seconds, at least 0, not ten");
        assertThatThrownBy(() -> Bench.Options.parse(new String[] {"--seconds", "0"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1, not 0");
        assertThatThrownBy(() -> Bench.Options.parse(new String[] {"--only", "a,z"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown scenario z in --only a,z");
    }

    @Test
    void theCommandSaysWhatIsWrongAndTheUsageAndExitsTwoWithoutAStackTrace() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            status = Bench.run(new String[] {"--only", "q"});
        } finally {
            System.setErr(err);
        }
        assertThat(status).isEqualTo(2);
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .isEqualTo("bench: unknown scenario q in --only q" + System.lineSeparator()
                        + Bench.Options.USAGE + System.lineSeparator());
    }
}
