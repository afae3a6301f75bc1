package billswitch.infra.config;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.springframework.boot.diagnostics.FailureAnalyzedException;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Checks every required setting before Spring creates anything (no bean, no database yet), and refuses to start
 * with one short message that lists each missing or invalid one and how to set it (its environment variable and
 * its --name=value), instead of a stack trace for the first one, then the next after a restart. Spring Boot
 * reports a {@link FailureAnalyzedException} as "APPLICATION FAILED TO START" with the description and action,
 * no stack trace; the process exits 1.
 */
public final class RequiredSettings implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    /** The sandbox's documented admin token, the only one sandbox mode prints. */
    public static final String DEMO_ADMIN_TOKEN = "demo-admin";
    static final int MIN_ADMIN_TOKEN = 24;

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        List<String> problems = problems(context.getEnvironment());
        if (!problems.isEmpty()) {
            throw new FailureAnalyzedException(description(problems),
                    "Set each as an environment variable (BILLSWITCH_MASTER_KEY=...) or as --name=value after the jar "
                            + "(--billswitch.master-key=...), then start again; java -jar billswitch.jar --help lists them. "
                            + "To try BillSwitch without any of them, start it in sandbox mode: "
                            + "java -jar billswitch.jar --spring.profiles.active=sandbox");
        }
    }

    static String description(List<String> problems) {
        StringBuilder text = new StringBuilder("BillSwitch cannot start: ").append(problems.size())
                .append(problems.size() == 1 ? " setting is" : " settings are").append(" missing or invalid.");
        for (String problem : problems) {
            text.append("\n  - ").append(problem);
        }
        return text.toString();
    }

    /** Every problem with the required settings, in one list. */
    static List<String> problems(Environment env) {
        List<String> problems = new ArrayList<>();
        boolean sandbox = env.getProperty("billswitch.sandbox.enabled", Boolean.class, false);
        String masterKey = env.getProperty("billswitch.master-key", "").trim();
        if (masterKey.isEmpty()) {
            if (!sandbox) {
                problems.add("billswitch.master-key (env BILLSWITCH_MASTER_KEY) is not set: base64 of 32 random bytes, "
                        + "e.g. BILLSWITCH_MASTER_KEY=$(openssl rand -base64 32). It encrypts the partners' secrets: "
                        + "keep it, it is the only way to open them.");
            }
        } else {
            String why = masterKeyProblem(masterKey);
            if (why != null) {
                problems.add("billswitch.master-key (env BILLSWITCH_MASTER_KEY) " + why
                        + ": it must be base64 of 32 random bytes, e.g. $(openssl rand -base64 32).");
            }
        }
        String adminToken = env.getProperty("billswitch.admin-token", "").trim();
        if (adminToken.isEmpty()) {
            problems.add("billswitch.admin-token (env BILLSWITCH_ADMIN_TOKEN) is not set: the Bearer token of the admin "
                    + "API, " + MIN_ADMIN_TOKEN + " characters or more, e.g. BILLSWITCH_ADMIN_TOKEN=$(openssl rand -hex 24).");
        } else if (!sandbox && adminToken.length() < MIN_ADMIN_TOKEN) {
            problems.add("billswitch.admin-token (env BILLSWITCH_ADMIN_TOKEN) has " + adminToken.length()
                    + " characters: outside sandbox mode it needs " + MIN_ADMIN_TOKEN + " or more, e.g. $(openssl rand -hex 24).");
        }
        String dbUrl = env.getProperty("billswitch.db.url", "").trim();
        if (sandbox && !dbUrl.isEmpty()
                && !env.getProperty("billswitch.sandbox.allow-external-database", Boolean.class, false)) {
            problems.add("sandbox mode writes a demo partner with public keys into its database, and "
                    + "billswitch.db.url (env BILLSWITCH_DB_URL) names an external one: leave it empty for the embedded "
                    + "database, or, if this database is meant for the sandbox, set "
                    + "billswitch.sandbox.allow-external-database=true (env BILLSWITCH_SANDBOX_ALLOW_EXTERNAL_DATABASE=true).");
        }
        if (!dbUrl.isEmpty() && !dbUrl.startsWith("jdbc:postgresql:")) {
            problems.add("billswitch.db.url (env BILLSWITCH_DB_URL) must be a PostgreSQL JDBC URL, "
                    + "jdbc:postgresql://host:5432/database, not " + dbUrl.replaceAll("//[^/@]*@", "//...@"));
        }
        if (dbUrl.startsWith("jdbc:postgresql:") && java.util.regex.Pattern.compile("(?i)[?&]options=").matcher(dbUrl).find()) {
            // the driver lets the URL's options replace the ones BillSwitch sets on every connection, silently
            problems.add("billswitch.db.url (env BILLSWITCH_DB_URL) has an options= parameter, which would replace "
                    + "the session settings BillSwitch sets on every connection (synchronous_commit=on, "
                    + "statement_timeout, idle_in_transaction_session_timeout, plan_cache_mode): remove it, and set "
                    + "what you need on the database role instead (ALTER ROLE ... SET name = value).");
        }
        return problems;
    }

    private static String masterKeyProblem(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return "is not valid base64";
        }
        return bytes.length == 32 ? null : "decodes to " + bytes.length + " bytes, not 32";
    }
}
