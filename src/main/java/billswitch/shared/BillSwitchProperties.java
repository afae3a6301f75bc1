package billswitch.shared;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Everything an operator of BillSwitch configures, in one place (application.yml documents each). */
@ConfigurationProperties(prefix = "billswitch")
public record BillSwitchProperties(
        Path dataDir,
        Db db,
        String masterKey,
        String adminToken,
        Sandbox sandbox,
        Api api) {

    /**
     * attachToRunning: when a running BillSwitch owns the embedded database, connect to it rather than
     * refuse (the command-line subcommands set it).
     */
    public record Db(String url, String user, String password, int maxPoolSize,
                     boolean embeddedDurable, boolean embeddedClean, boolean attachToRunning) {
        public boolean external() {
            return url != null && !url.isBlank();
        }
    }

    /** Sandbox mode: demo data, generated development master key, sandbox operators. */
    public record Sandbox(boolean enabled, long latencyMs) {
    }

    public record Api(int maxBodyBytes, Duration timestampTolerance) {
    }
}
