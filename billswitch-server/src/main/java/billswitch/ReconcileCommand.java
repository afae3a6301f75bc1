package billswitch;

import billswitch.admin.AdminIdentity;
import billswitch.admin.AdminRole;
import billswitch.reconciliation.ReconciliationRun;
import billswitch.reconciliation.Reconciliations;
import billswitch.shared.BillSwitchException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code reconcile --connector NAME --date YYYY-MM-DD [--file REPORT] [--name=value ...]}: the connector's day
 * reconciled against the upstream's report file, or without {@code --file} pulled through its status enquiries, as
 * POST /admin/reconciliations does ({@link Reconciliations}, audited by the actor "command-line"). Prints the run's
 * counts and its open cases. Exit 0 when reconciled with no case left for a person, 1 when reconciled and cases are
 * open, 2 on bad input (usage, unreadable file, unknown connector, bad date, a report that does not read: each named),
 * nothing done.
 */
record ReconcileCommand(String connector, String date, Path file, String[] settings) {
    static final AdminIdentity ACTOR = new AdminIdentity("command-line", AdminRole.ADMIN);
    static final String USAGE = "Usage: reconcile --connector NAME --date YYYY-MM-DD [--file REPORT]";

    /** What is wrong with the arguments after {@code reconcile}, or null when they are usable. */
    static String usageError(List<String> args) {
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = option(arg);
            if (name != null) {
                String value;
                if (arg.contains("=")) {
                    value = arg.substring(arg.indexOf('=') + 1);
                } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    value = args.get(++i);
                } else {
                    return "--" + name + " needs a value. " + USAGE;
                }
                if (named.put(name, value) != null) {
                    return "--" + name + " is given twice. " + USAGE;
                }
                continue;
            }
            if (!arg.startsWith("--") || arg.length() == 2 || !arg.contains("=")) {
                return "'" + arg + "' is neither --connector, --date, --file nor a setting (--name=value). " + USAGE;
            }
        }
        if (!named.containsKey("connector") || named.get("connector").isBlank()) {
            return "--connector NAME is required. " + USAGE;
        }
        if (!named.containsKey("date") || named.get("date").isBlank()) {
            return "--date YYYY-MM-DD is required. " + USAGE;
        }
        return null;
    }

    private static String option(String arg) {
        for (String name : List.of("connector", "date", "file")) {
            if (arg.equals("--" + name) || arg.startsWith("--" + name + "=")) {
                return name;
            }
        }
        return null;
    }

    static ReconcileCommand of(List<String> args) {
        Map<String, String> named = new LinkedHashMap<>();
        List<String> settings = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = option(arg);
            if (name != null) {
                named.put(name, arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : args.get(++i));
            } else {
                settings.add(arg);
            }
        }
        return new ReconcileCommand(named.get("connector"), named.get("date"),
                named.containsKey("file") ? Path.of(named.get("file")) : null, settings.toArray(String[]::new));
    }

    /** Runs against the context; {@code report}: the file's bytes, or null to pull. */
    int run(ConfigurableApplicationContext context, byte[] report) {
        Reconciliations reconciliations = context.getBean(Reconciliations.class);
        ReconciliationRun.Detail detail;
        try {
            detail = reconciliations.reconcile(connector, reconciliations.day(date, "--date"), report, ACTOR,
                    "reconcile --connector " + connector + " --date " + date + (file == null ? "" : " --file " + file));
        } catch (BillSwitchException e) {
            System.err.println("billswitch: refused, nothing was done: " + e.getMessage());
            for (Map.Entry<String, String> problem : e.fields().entrySet()) {
                System.err.println("  " + problem.getKey() + ": " + problem.getValue());
            }
            return 2;
        }
        ReconciliationRun run = detail.run();
        List<ReconciliationRun.Case> open = detail.cases().stream().filter(c -> c.status().equals("OPEN")).toList();
        System.out.println((run.repeated() ? "This report was reconciled before (run " + run.id() + "): nothing was changed."
                : "Reconciled " + connector + " for " + run.date() + " (run " + run.id() + ", " + run.source() + ")."));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run", run.id());
        out.put("repeated", run.repeated());
        out.put("sha256", run.sha256());
        out.put("counts", run.counts());
        out.put("openCases", open.stream().map(c -> Map.of("id", c.id(), "kind", c.kind(), "ours", c.ours(),
                "theirs", c.theirs())).toList());
        System.out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(out));
        return open.isEmpty() ? 0 : 1;
    }
}
