package billswitch;

import billswitch.infra.crypto.MasterKeyRotation;
import billswitch.ledger.LedgerVerifier;
import billswitch.infra.config.BillSwitchProperties;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.diagnostics.FailureAnalyzedException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts the BillSwitch server, or runs a subcommand: {@code verify} checks the ledger's invariants
 * and exits 0 when they hold, 1 when they do not; {@code rotate-master-key} re-seals every stored secret under the
 * current master key ({@link MasterKeyRotation}); {@code help} ({@code -h}, {@code --help}) prints the
 * usage and the main settings. Anything else that is not a {@code --name=value} setting is refused with
 * exit status 2 rather than started as a server. The jar enters through {@link Launcher}, which first checks
 * the Java version.
 */
// Spring Security guards the admin API alone (api/admin/AdminSecurity registers its filter on /admin/*): Boot's
// registration of it on every path and its generated in-memory user are left out.
@SpringBootApplication(excludeName = {
        "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration"})
@EnableConfigurationProperties(BillSwitchProperties.class)
@EnableScheduling
public class BillSwitchApplication {

    /**
     * Seconds an idle connection to an upstream stays pooled: below the 30 s idle timeout of common servers (Jetty's
     * included), so the connectors rarely write a payment onto a connection the upstream has just closed (which
     * would end UNKNOWN and cost a status enquiry). A -D setting wins.
     */
    static final String UPSTREAM_KEEPALIVE_SECONDS = "20";

    public static void main(String[] args) {
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", UPSTREAM_KEEPALIVE_SECONDS);
        }
        switch (command(args)) {
            case HELP -> System.out.print(usage());
            case VERIFY -> System.exit(subcommand(() -> verify(Arrays.copyOfRange(args, 1, args.length))));
            case ROTATE_MASTER_KEY -> System.exit(subcommand(() -> rotateMasterKey(Arrays.copyOfRange(args, 1, args.length))));
            case CATALOG_IMPORT -> System.exit(subcommand(() -> catalogImport(Arrays.copyOfRange(args, 1, args.length))));
            case RECONCILE -> System.exit(subcommand(() -> reconcile(Arrays.copyOfRange(args, 1, args.length))));
            case SERVER -> {
                try {
                    SpringApplication.run(BillSwitchApplication.class, args);
                } catch (FailureAnalyzedException e) {
                    // reported by Spring Boot as its description and action (RequiredSettings): no stack trace
                    System.exit(1);
                }
            }
            case REFUSED -> {
                System.err.println("billswitch: " + refusal(args));
                System.err.println("Run with --help for the commands and settings.");
                System.exit(2);
            }
        }
    }

    enum Command { SERVER, VERIFY, ROTATE_MASTER_KEY, CATALOG_IMPORT, RECONCILE, HELP, REFUSED }

    /** The subcommands by the word that names them. */
    private static final java.util.Map<String, Command> SUBCOMMANDS = java.util.Map.of("verify", Command.VERIFY,
            "rotate-master-key", Command.ROTATE_MASTER_KEY, "catalog-import", Command.CATALOG_IMPORT,
            "reconcile", Command.RECONCILE);

    /**
     * What the arguments ask for: the server takes only {@code --name=value} settings (Spring's), so a first
     * word that is no subcommand (a typo, {@code serve}) or a single-dash argument (a JVM option placed after
     * {@code -jar}) is refused instead of silently starting a server with it ignored.
     */
    static Command command(String[] args) {
        List<String> all = List.of(args);
        if (all.contains("-h") || all.contains("--help") || (!all.isEmpty() && all.get(0).equals("help"))) {
            return Command.HELP;
        }
        Command sub = all.isEmpty() ? null : SUBCOMMANDS.get(all.get(0));
        if (sub == Command.CATALOG_IMPORT) {
            return CatalogImportCommand.usageError(all.subList(1, all.size())) == null ? sub : Command.REFUSED;
        }
        if (sub == Command.RECONCILE) {
            return ReconcileCommand.usageError(all.subList(1, all.size())) == null ? sub : Command.REFUSED;
        }
        for (String arg : sub != null ? all.subList(1, all.size()) : all) {
            if (!arg.startsWith("--") || arg.length() == 2) {
                return Command.REFUSED;
            }
        }
        return sub != null ? sub : Command.SERVER;
    }

    static String refusal(String[] args) {
        if (args[0].equals("catalog-import")) {
            return CatalogImportCommand.usageError(List.of(args).subList(1, args.length));
        }
        if (args[0].equals("reconcile")) {
            return ReconcileCommand.usageError(List.of(args).subList(1, args.length));
        }
        boolean sub = SUBCOMMANDS.containsKey(args[0]);
        for (int i = sub ? 1 : 0; i < args.length; i++) {
            String arg = args[i];
            if (i == 0 && !arg.startsWith("-")) {
                return "unknown command '" + arg + "' (the commands are verify, rotate-master-key, catalog-import, reconcile and help; no "
                        + "command "
                        + "starts the server).";
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                return "'" + arg + "' is not a setting: settings are --name=value (e.g. --server.port=8080); "
                        + "JVM options such as -D or -Xmx go before -jar.";
            }
        }
        throw new IllegalArgumentException("nothing to refuse");
    }

    /** The usage: subcommands and the settings an operator sets (every one: application.yml, README). */
    static String usage() {
        return """
                Usage: java -jar billswitch.jar [verify | rotate-master-key | help] [--name=value ...]
                       java -jar billswitch.jar catalog-import FILE [--dry-run] [--name=value ...]
                       java -jar billswitch.jar reconcile --connector NAME --date YYYY-MM-DD [--file REPORT] [--name=value ...]

                BillSwitch, a self-hosted bill-payment and mobile/DTH recharge switch. Needs Java 21 or newer.

                Commands:
                  (none)   start the server: the HTTP API on server.port (8080)
                  verify   check the ledger's invariants and print the report; exit 0 when they hold, 1 when not.
                           Same settings as the server; attaches to a running server's embedded PostgreSQL
                  rotate-master-key
                           re-seal every stored secret under billswitch.master-key, row by row, while servers run
                           (values under billswitch.previous-master-keys still open until then); exit 0 when every
                           value is now under the current key, 1 when some could not be opened. Safe to run again
                  catalog-import FILE [--dry-run]
                           make the catalog the file's (the JSON of GET /admin/catalog/export): create and change what
                           differs, disable what it does not list, in one transaction, and print what changed. A new
                           installation starts from a file. --dry-run prints the diff alone. Exit 0 when done (or
                           nothing to do), 1 when the file is refused (each error named by its place), 2 on a usage error
                  reconcile --connector NAME --date YYYY-MM-DD [--file REPORT]
                           match the connector's day (in billswitch.books.zone) against the upstream's report (its
                           provider's CSV or JSON; without --file: pulled through status enquiries of that day's
                           attempts), settle what it proves, open cases for the rest; the same report again changes
                           nothing. Exit 0 when no case is left open, 1 when cases are open, 2 on bad input (nothing done)
                  help     this text (also -h, --help)

                Settings, as --name=value after the command or as the environment variable:
                  --spring.profiles.active=sandbox   SPRING_PROFILES_ACTIVE=sandbox
                        sandbox mode: the sandbox operators, the demo partner AOP-554, admin token demo-admin,
                        a development master key generated in the data directory
                  --billswitch.sandbox.allow-external-database=false   BILLSWITCH_SANDBOX_ALLOW_EXTERNAL_DATABASE
                        sandbox mode on an external database (billswitch.db.url) is refused without it
                  --server.port=8080                 SERVER_PORT
                  --management.server.port=8081      MANAGEMENT_SERVER_PORT
                  --management.server.address=127.0.0.1   MANAGEMENT_SERVER_ADDRESS
                        health (/actuator/health) and Prometheus metrics (/actuator/prometheus)
                  --billswitch.admin.port=8082       BILLSWITCH_ADMIN_PORT   (sandbox mode: the partners' port)
                  --logging.structured.format.console=ecs   BILLSWITCH_LOG_FORMAT=ecs   JSON logs (or logstash)
                  --billswitch.data-dir=./data       BILLSWITCH_DATA_DIR
                        the embedded PostgreSQL's data (and the sandbox's master key)
                  --billswitch.db.url=               BILLSWITCH_DB_URL     jdbc:postgresql://host:5432/db
                        an external PostgreSQL; empty (the default): the embedded one, run by BillSwitch itself
                  --billswitch.db.user=              BILLSWITCH_DB_USER
                  --billswitch.db.password=          BILLSWITCH_DB_PASSWORD
                  --billswitch.db.embedded-listen-addresses=   BILLSWITCH_DB_EMBEDDED_LISTEN_ADDRESSES
                        the embedded PostgreSQL's TCP addresses (e.g. localhost); empty: its Unix socket only.
                        Its password is generated into {data-dir}/pg-password
                  --billswitch.db.statement-timeout=5m         BILLSWITCH_DB_STATEMENT_TIMEOUT
                  --billswitch.db.idle-in-transaction-timeout=2m   BILLSWITCH_DB_IDLE_IN_TRANSACTION_TIMEOUT
                  --billswitch.db.allow-fsync-off=false        BILLSWITCH_DB_ALLOW_FSYNC_OFF   (tests only)
                  --billswitch.master-key=           BILLSWITCH_MASTER_KEY
                        base64 of 32 random bytes (openssl rand -base64 32): encrypts the partners' secrets.
                        Required outside sandbox mode; keep it, it is the only way to open them
                  --billswitch.previous-master-keys= BILLSWITCH_PREVIOUS_MASTER_KEYS
                        earlier master keys, comma-separated, while a rotation is under way
                  --billswitch.sealed.accept-unbound= BILLSWITCH_SEALED_ACCEPT_UNBOUND
                        true (default): sealed values of earlier forms still open; false once
                        rotate-master-key has re-sealed them
                  --billswitch.admin-token=          BILLSWITCH_ADMIN_TOKEN
                        the Bearer token of /admin; required, 24+ characters outside sandbox mode
                  --billswitch.batching.lanes=1      BILLSWITCH_BATCHING_LANES
                  --billswitch.batching.max-size=256 BILLSWITCH_BATCHING_MAX_SIZE
                  every other setting (timeouts, janitor and webhook schedules, limits): application.yml
                  in the jar, and the README's "Running for real"

                Examples:
                  java -jar billswitch.jar --spring.profiles.active=sandbox
                  BILLSWITCH_MASTER_KEY=... BILLSWITCH_ADMIN_TOKEN=... BILLSWITCH_DB_URL=jdbc:postgresql://db:5432/billswitch \\
                    java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -jar billswitch.jar --server.port=8080
                  java -jar billswitch.jar verify --spring.profiles.active=sandbox
                  java -jar billswitch.jar catalog-import catalog.json --dry-run
                  java -jar billswitch.jar reconcile --connector eko-main --date 2026-12-06 --file eko-2026-12-06.csv
                """;
    }

    /** A subcommand's exit status; 2 when a setting is missing or invalid (reported by Spring Boot, nothing done). */
    private static int subcommand(java.util.function.IntSupplier command) {
        try {
            return command.getAsInt();
        } catch (FailureAnalyzedException e) {
            return 2;
        }
    }

    static int verify(String[] args) {
        try (ConfigurableApplicationContext context = subcommandContext(args)) {
            LedgerVerifier.Report report = context.getBean(LedgerVerifier.class).verify();
            System.out.println(indented(report));
            return report.ok() ? 0 : 1;
        }
    }

    static int rotateMasterKey(String[] args) {
        try (ConfigurableApplicationContext context = subcommandContext(args)) {
            MasterKeyRotation.Report report = context.getBean(MasterKeyRotation.class).rotate();
            System.out.println(indented(report));
            return report.ok() ? 0 : 1;
        }
    }

    /** catalog-import FILE [--dry-run]: the file read and imported as POST /admin/catalog/import does, and audited. */
    static int catalogImport(String[] args) {
        CatalogImportCommand command = CatalogImportCommand.of(List.of(args));
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(command.file());
        } catch (java.io.IOException e) {
            System.err.println("billswitch: cannot read " + command.file() + ": " + e.getMessage());
            return 2;
        }
        try (ConfigurableApplicationContext context = subcommandContext(command.settings())) {
            return command.run(context, bytes);
        }
    }

    /** reconcile --connector NAME --date YYYY-MM-DD [--file REPORT]: as POST /admin/reconciliations, audited. */
    static int reconcile(String[] args) {
        ReconcileCommand command = ReconcileCommand.of(List.of(args));
        byte[] bytes = null;
        if (command.file() != null) {
            try {
                bytes = java.nio.file.Files.readAllBytes(command.file());
            } catch (java.io.IOException e) {
                System.err.println("billswitch: cannot read " + command.file() + ": " + e.getMessage());
                return 2;
            }
        }
        try (ConfigurableApplicationContext context = subcommandContext(command.settings())) {
            return command.run(context, bytes);
        }
    }

    /** The application without its web server and background work, beside a running server (its embedded database too). */
    private static ConfigurableApplicationContext subcommandContext(String[] args) {
        SpringApplication app = new SpringApplication(BillSwitchApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        String[] all = Arrays.copyOf(args, args.length + 5);
        all[args.length] = "--billswitch.db.attach-to-running=true";
        all[args.length + 1] = "--logging.level.root=WARN";
        all[args.length + 2] = "--spring.main.log-startup-info=false";
        all[args.length + 3] = "--billswitch.resolution.enabled=false";
        all[args.length + 4] = "--billswitch.webhooks.enabled=false";
        return app.run(all);
    }

    private static String indented(Object report) {
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(report);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
