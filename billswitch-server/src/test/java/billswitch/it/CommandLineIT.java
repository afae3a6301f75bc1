package billswitch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import billswitch.Launcher;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar's first contact: --help and -h print the usage and start nothing, an unknown command is
 * refused, and a Java older than 21 is told which Java to use instead of an UnsupportedClassVersionError.
 */
class CommandLineIT {

    record Run(int exit, String stdout, String stderr) {
    }

    static Run run(String java, String... args) throws Exception {
        return run(Map.of(), java, args);
    }

    /** Runs the jar with no BILLSWITCH_* variable of ours in its environment but {@code env}. */
    static Run run(Map<String, String> env, String java, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java, "-jar", System.getProperty("billswitch.jar")));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("billswitch-cli", ".out");
        Path err = Files.createTempFile("billswitch-cli", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("BILLSWITCH_") || name.startsWith("SPRING_"));
            builder.environment().putAll(env);
            Process p = builder.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not exit within 60 s (started a server?)");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String currentJava() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    @Test
    void helpPrintsTheCommandsAndSettingsAndStartsNothing() throws Exception {
        for (String flag : List.of("--help", "-h", "help")) {
            Run run = run(currentJava(), flag);
            assertThat(run.exit()).as(flag).isZero();
            assertThat(run.stdout()).as(flag).contains("Usage: java -jar billswitch.jar", "verify", "BILLSWITCH_MASTER_KEY",
                    "BILLSWITCH_ADMIN_TOKEN", "BILLSWITCH_DB_URL", "BILLSWITCH_DATA_DIR", "--server.port",
                    "--spring.profiles.active=sandbox");
            assertThat(run.stdout()).as(flag).doesNotContain("Started BillSwitchApplication");
        }
    }

    @Test
    void anUnknownCommandIsRefusedWithoutStartingAServer() throws Exception {
        Run run = run(currentJava(), "serve", "--server.port=0");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("unknown command 'serve'", "--help");
        assertThat(run.stdout()).doesNotContain("Started BillSwitchApplication");
    }

    /** A line of a Java stack trace. */
    private static final java.util.regex.Pattern STACK_FRAME = java.util.regex.Pattern.compile("(?m)^\\s+at [\\w$.]+\\(");

    @Test
    void withoutTheSandboxProfileOneShortMessageNamesEveryMissingSetting() throws Exception {
        Path data = Files.createTempDirectory("billswitch-settings");
        Run run = run(Map.of(), currentJava(), "--server.port=0", "--management.server.port=0", "--billswitch.data-dir=" + data);
        String output = run.stdout() + run.stderr();
        assertThat(run.exit()).as(output).isNotZero();
        assertThat(output).contains("2 settings are missing or invalid", "billswitch.master-key", "BILLSWITCH_MASTER_KEY",
                "billswitch.admin-token", "BILLSWITCH_ADMIN_TOKEN", "--spring.profiles.active=sandbox");
        assertThat(STACK_FRAME.matcher(output).find()).as(output).isFalse();
        assertThat(output.lines().count()).as(output).isLessThan(25);
        assertThat(output).doesNotContain("Started BillSwitchApplication");
        // nothing heavy started: no embedded database was made
        assertThat(data.resolve("pg")).doesNotExist();

        Run invalid = run(Map.of("BILLSWITCH_MASTER_KEY", "not-base64!", "BILLSWITCH_ADMIN_TOKEN", "short"), currentJava(),
                "--server.port=0", "--management.server.port=0", "--billswitch.data-dir=" + data);
        String invalidOutput = invalid.stdout() + invalid.stderr();
        assertThat(invalid.exit()).isNotZero();
        assertThat(invalidOutput).contains("BILLSWITCH_MASTER_KEY) is not valid base64",
                "BILLSWITCH_ADMIN_TOKEN) has 5 characters");
        assertThat(STACK_FRAME.matcher(invalidOutput).find()).as(invalidOutput).isFalse();
    }

    @Test
    void sandboxModeRefusesAnExternalDatabaseUnlessForced() throws Exception {
        Path data = Files.createTempDirectory("billswitch-sandbox-external");
        Run run = run(Map.of("BILLSWITCH_DB_URL", "jdbc:postgresql://db.example:5432/billswitch"), currentJava(),
                "--spring.profiles.active=sandbox", "--server.port=0", "--management.server.port=0", "--billswitch.data-dir=" + data);
        String output = run.stdout() + run.stderr();
        assertThat(run.exit()).as(output).isNotZero();
        assertThat(output).contains("billswitch.sandbox.allow-external-database=true",
                "BILLSWITCH_SANDBOX_ALLOW_EXTERNAL_DATABASE=true");
        assertThat(STACK_FRAME.matcher(output).find()).as(output).isFalse();
    }

    @Test
    void sandboxModePrintsTheDemoAdminTokenButNeverOneConfigured() throws Exception {
        String token = "my-own-admin-token-" + java.util.UUID.randomUUID();
        Path data = Files.createTempDirectory("billswitch-sandbox-token");
        Path log = data.resolve("out.log");
        ProcessBuilder p = new ProcessBuilder(currentJava(), "-jar", System.getProperty("billswitch.jar"),
                "--spring.profiles.active=sandbox", "--server.port=" + ServerProcess.freePort(),
                "--management.server.port=" + ServerProcess.freePort(), "--billswitch.data-dir=" + data)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        p.environment().keySet().removeIf(name -> name.startsWith("BILLSWITCH_") || name.startsWith("SPRING_"));
        p.environment().put("BILLSWITCH_ADMIN_TOKEN", token);
        Process server = p.start();
        try {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
            while (!Files.readString(log).contains("Sandbox rule") && server.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            String output = Files.readString(log);
            assertThat(output).as(output).contains("Admin token:", "BILLSWITCH_ADMIN_TOKEN, not shown").doesNotContain(token);
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    @Test
    void aJavaOlderThan21IsToldWhichJavaToUse() throws Exception {
        Optional<Path> old = jdkOlderThan21();
        assumeThat(old).as("a JDK 17-20 installed under /usr/lib/jvm (none: this check is skipped)").isPresent();
        Run run = run(old.get().resolve("bin/java").toString(), "--spring.profiles.active=sandbox");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).contains("BillSwitch needs Java 21 or newer; this is Java " + Launcher.featureOf(old.get()).orElseThrow())
                .contains("-jar " + System.getProperty("billswitch.jar") + " --spring.profiles.active=sandbox")
                .doesNotContain("UnsupportedClassVersionError");
    }

    /**
     * A JDK that runs Spring Boot's launcher (17+) but not BillSwitch (before 21). Older ones cannot be helped:
     * they fail on the launcher itself, which Spring Boot compiles for 17.
     */
    private static Optional<Path> jdkOlderThan21() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(jvms)) {
            for (Path entry : entries) {
                Optional<Integer> feature = Launcher.featureOf(entry);
                if (feature.isPresent() && feature.get() >= 17 && feature.get() < 21 && Files.isExecutable(entry.resolve("bin/java"))) {
                    return Optional.of(entry);
                }
            }
        }
        return Optional.empty();
    }
}
