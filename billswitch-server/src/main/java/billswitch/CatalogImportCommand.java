package billswitch;

import billswitch.admin.AdminIdentity;
import billswitch.admin.AdminRole;
import billswitch.admin.AuditLog;
import billswitch.catalog.transfer.CatalogDiff;
import billswitch.catalog.transfer.CatalogFile;
import billswitch.catalog.transfer.CatalogFileCodec;
import billswitch.catalog.transfer.CatalogTransfer;
import billswitch.shared.BillSwitchException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code catalog-import FILE [--dry-run] [--name=value ...]}: the catalog file imported into the configured database
 * as POST /admin/catalog/import does ({@link CatalogTransfer}, one audit entry by the actor "command-line"). Prints
 * the diff; exit 0 when done, 1 when the file is refused (its errors by their place in the file), 2 on a usage error.
 */
record CatalogImportCommand(Path file, boolean dryRun, String[] settings) {
    static final AdminIdentity ACTOR = new AdminIdentity("command-line", AdminRole.ADMIN);

    /** What is wrong with the arguments after {@code catalog-import}, or null when they are usable. */
    static String usageError(List<String> args) {
        int files = 0;
        for (String arg : args) {
            if (arg.equals("--dry-run") || arg.startsWith("--") && arg.length() > 2 && arg.contains("=")) {
                continue;
            }
            if (arg.startsWith("-")) {
                return "'" + arg + "' is neither --dry-run nor a setting (--name=value). Usage: catalog-import FILE [--dry-run]";
            }
            files++;
        }
        return files == 1 ? null : "catalog-import takes one FILE (the catalog's JSON, as GET /admin/catalog/export "
                + "answers); " + files + " given. Usage: catalog-import FILE [--dry-run]";
    }

    static CatalogImportCommand of(List<String> args) {
        Path file = null;
        boolean dryRun = false;
        List<String> settings = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--dry-run")) {
                dryRun = true;
            } else if (arg.startsWith("--")) {
                settings.add(arg);
            } else {
                file = Path.of(arg);
            }
        }
        return new CatalogImportCommand(file, dryRun, settings.toArray(String[]::new));
    }

    int run(ConfigurableApplicationContext context, byte[] bytes) {
        CatalogTransfer transfer = context.getBean(CatalogTransfer.class);
        CatalogFile parsed;
        try {
            parsed = context.getBean(CatalogFileCodec.class).read(bytes);
        } catch (BillSwitchException e) {
            System.err.println("billswitch: " + file + " is refused: " + e.getMessage());
            for (Map.Entry<String, String> problem : e.fields().entrySet()) {
                System.err.println("  " + problem.getKey() + ": " + problem.getValue());
            }
            return 1;
        }
        CatalogDiff preview = transfer.preview(parsed, true);
        CatalogDiff diff = dryRun || preview.empty() ? preview
                : context.getBean(AuditLog.class).change(ACTOR, "catalog.import", "catalog-import " + file, "catalog",
                        () -> null, () -> transfer.importFile(parsed, true, false), d -> d);
        String done = dryRun ? "Dry run: nothing was changed." : preview.empty()
                ? "The catalog already is the file's: nothing was changed." : "Imported " + file + ".";
        System.out.println(done);
        System.out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                .writeValueAsString(Map.of("dryRun", dryRun, "applied", !dryRun && !preview.empty(),
                        "categories", diff.categories(), "locations", diff.locations(), "operators", diff.operators())));
        return 0;
    }
}
