package billswitch.catalog.transfer;

import billswitch.catalog.CatalogAdmin;
import billswitch.catalog.Category;
import billswitch.catalog.Location;
import billswitch.catalog.Operator;
import billswitch.catalog.Plan;
import billswitch.routing.Route;
import billswitch.routing.RoutingAdmin;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Exports the whole catalog as a {@link CatalogFile} and imports one: the import compares the file with the catalog
 * as stored, writes only what differs (so importing the export of the same catalog writes nothing), disables what
 * the catalog has and the file does not (nothing is deleted: orders keep naming their operator), and does it all in
 * one transaction through {@link CatalogAdmin} and {@link RoutingAdmin}, so every rule of a single change applies and
 * the catalog's and routing's change markers move for every node. An operator entry without plans or routes (null)
 * leaves the stored ones as they are. A dry run makes the same writes and rolls them back: its diff (with each
 * changed field's values before and after), and its refusals, are exactly what the import would do.
 */
@Service
public class CatalogTransfer {
    private final CatalogAdmin catalog;
    private final RoutingAdmin routing;
    private final TransactionTemplate tx;

    CatalogTransfer(CatalogAdmin catalog, RoutingAdmin routing, TransactionTemplate tx) {
        this.catalog = catalog;
        this.routing = routing;
        this.tx = tx;
    }

    /** The catalog as stored, read in one transaction. */
    public CatalogFile export() {
        return tx.execute(s -> {
            Map<String, List<Plan>> plans = catalog.plans().stream()
                    .collect(Collectors.groupingBy(Plan::operatorId, LinkedHashMap::new, Collectors.toList()));
            Map<String, List<Route>> routes = routing.allRoutes();
            List<CatalogFile.Entry> entries = catalog.operators().stream().sorted(Comparator.comparing(Operator::id))
                    .map(o -> new CatalogFile.Entry(o, plans.getOrDefault(o.id(), List.of()),
                            drafts(routes.getOrDefault(o.id(), List.of()))))
                    .toList();
            return new CatalogFile(catalog.categories(), catalog.locations(), entries);
        });
    }

    /**
     * Makes the catalog what the file says: creates, changes, and (when {@code disableMissing}) disables what the file
     * does not list. A problem is answered naming its place in the file ({@code operators[3].params[0].regex}).
     */
    public CatalogDiff importFile(CatalogFile file, boolean disableMissing, boolean dryRun) {
        refuseDuplicates(file);
        return tx.execute(status -> {
            CatalogDiff diff = new CatalogDiff(categories(file.categories(), disableMissing),
                    locations(file.locations(), disableMissing), operators(file.operators(), disableMissing));
            if (dryRun) {
                status.setRollbackOnly();
            }
            return diff;
        });
    }

    /** What an import of the file would do, changing nothing. */
    public CatalogDiff preview(CatalogFile file, boolean disableMissing) {
        return importFile(file, disableMissing, true);
    }

    private CatalogDiff.Changes categories(List<Category> wanted, boolean disableMissing) {
        Map<String, Category> stored = byId(catalog.categories(), Category::id);
        Tally tally = new Tally();
        for (int i = 0; i < wanted.size(); i++) {
            Category c = wanted.get(i);
            Category was = stored.get(c.id());
            String at = "categories[" + i + "].";
            if (was == null) {
                at(at, () -> catalog.createCategory(c));
                tally.created.add(c.id());
            } else if (!was.equals(c)) {
                at(at, () -> catalog.editCategory(c.id(), s -> c));
                tally.changed.add(change(c.id(), was, c));
            } else {
                tally.unchanged++;
            }
        }
        if (disableMissing) {
            Set<String> listed = wanted.stream().map(Category::id).collect(Collectors.toSet());
            for (Category c : stored.values()) {
                if (!listed.contains(c.id()) && c.enabled()) {
                    catalog.editCategory(c.id(), s -> new Category(s.id(), s.name(), s.group(), s.country(), s.providerId(), false));
                    tally.disabled.add(c.id());
                }
            }
        }
        return tally.changes();
    }

    private CatalogDiff.Changes locations(List<Location> wanted, boolean disableMissing) {
        Map<String, Location> stored = byId(catalog.locations(), Location::id);
        Tally tally = new Tally();
        for (int i = 0; i < wanted.size(); i++) {
            Location l = wanted.get(i);
            Location was = stored.get(l.id());
            String at = "locations[" + i + "].";
            if (was == null) {
                at(at, () -> catalog.createLocation(l));
                tally.created.add(l.id());
            } else if (!was.equals(l)) {
                at(at, () -> catalog.editLocation(l.id(), s -> l));
                tally.changed.add(change(l.id(), was, l));
            } else {
                tally.unchanged++;
            }
        }
        if (disableMissing) {
            Set<String> listed = wanted.stream().map(Location::id).collect(Collectors.toSet());
            for (Location l : stored.values()) {
                if (!listed.contains(l.id()) && l.enabled()) {
                    catalog.editLocation(l.id(), s -> new Location(s.id(), s.name(), s.abbreviation(), s.country(),
                            s.providerId(), false));
                    tally.disabled.add(l.id());
                }
            }
        }
        return tally.changes();
    }

    private CatalogDiff.Changes operators(List<CatalogFile.Entry> wanted, boolean disableMissing) {
        Map<String, Operator> stored = byId(catalog.operators(), Operator::id);
        Map<String, List<Plan>> storedPlans = catalog.plans().stream().collect(Collectors.groupingBy(Plan::operatorId));
        Map<String, List<Route>> storedRoutes = routing.allRoutes();
        Tally tally = new Tally();
        for (int i = 0; i < wanted.size(); i++) {
            CatalogFile.Entry e = wanted.get(i);
            String id = e.operator().id();
            Operator was = stored.get(id);
            String at = "operators[" + i + "].";
            List<String> fields = new ArrayList<>();
            Map<String, Object> before = new LinkedHashMap<>();
            Map<String, Object> after = new LinkedHashMap<>();
            if (was == null) {
                at(at, () -> catalog.createOperator(e.operator()));
            } else {
                Operator wantedHere = withConnector(e.operator(), was.connector());
                if (!was.equals(wantedHere)) {
                    CatalogDiff.Change c = change(id, was, wantedHere);
                    fields.addAll(c.fields());
                    before.putAll(c.before());
                    after.putAll(c.after());
                    at(at, () -> catalog.editOperator(id, s -> withConnector(e.operator(), s.connector())));
                }
            }
            List<Plan> plansBefore = storedPlans.getOrDefault(id, List.of());
            if (e.plans() != null && !samePlans(plansBefore, e.plans())) {
                fields.add("plans");
                before.put("plans", plansBefore);
                after.put("plans", e.plans());
                replacePlans(at, id, plansBefore, e.plans());
            }
            List<RoutingAdmin.RouteDraft> routesBefore = drafts(storedRoutes.getOrDefault(id, List.of()));
            if (e.routes() != null && !normalized(routesBefore).equals(normalized(e.routes()))) {
                fields.add("routes");
                before.put("routes", routesBefore);
                after.put("routes", e.routes());
                at(at + "routes.", () -> routing.setRoutes(id, e.routes()));
            }
            if (was == null) {
                tally.created.add(id);
            } else if (!fields.isEmpty()) {
                tally.changed.add(new CatalogDiff.Change(id, fields, before, after));
            } else {
                tally.unchanged++;
            }
        }
        if (disableMissing) {
            Set<String> listed = wanted.stream().map(e -> e.operator().id()).collect(Collectors.toSet());
            for (Operator o : stored.values()) {
                if (!listed.contains(o.id()) && o.enabled()) {
                    catalog.editOperator(o.id(), s -> s.withEnabled(false));
                    tally.disabled.add(o.id());
                }
            }
        }
        return tally.changes();
    }

    private void replacePlans(String at, String operatorId, List<Plan> stored, List<Plan> wanted) {
        Map<String, Plan> was = byId(stored, Plan::code);
        Set<String> keep = wanted.stream().map(Plan::code).collect(Collectors.toSet());
        for (Plan p : stored) {
            if (!keep.contains(p.code())) {
                catalog.deletePlan(operatorId, p.code());
            }
        }
        for (int j = 0; j < wanted.size(); j++) {
            Plan p = wanted.get(j);
            Plan before = was.get(p.code());
            String here = at + "plans[" + j + "].";
            if (before == null) {
                at(here, () -> catalog.createPlan(p));
            } else if (!before.equals(p)) {
                at(here, () -> catalog.editPlan(operatorId, p.code(), s -> p));
            }
        }
    }

    private static boolean samePlans(List<Plan> stored, List<Plan> wanted) {
        Comparator<Plan> byCode = Comparator.comparing(Plan::code);
        return stored.stream().sorted(byCode).toList().equals(wanted.stream().sorted(byCode).toList());
    }

    /** Routes as compared: weight defaulted, in connector order (the order a PUT lists them in does not matter). */
    private static List<RoutingAdmin.RouteDraft> normalized(List<RoutingAdmin.RouteDraft> routes) {
        return routes.stream()
                .map(r -> new RoutingAdmin.RouteDraft(r.connector(), r.upstreamCode(), r.priority(),
                        r.weight() == null ? 1 : r.weight(), r.cost(),
                        r.commissionBps() == null ? 0 : r.commissionBps()))
                .sorted(Comparator.comparing(RoutingAdmin.RouteDraft::connector, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
    }

    private static List<RoutingAdmin.RouteDraft> drafts(List<Route> routes) {
        return routes.stream().map(r -> new RoutingAdmin.RouteDraft(r.connector(), r.upstreamCode(), r.priority(),
                r.weight(), r.costMinor(), r.commissionBps())).toList();
    }

    static Operator withConnector(Operator o, String connector) {
        return new Operator(o.id(), o.name(), o.categoryId(), o.locationId(), o.kind(), o.country(), o.currency(),
                o.fetchOption(), o.exactness(), o.minAmountMinor(), o.maxAmountMinor(), o.partialPayment(), o.channels(),
                o.feeFlatMinor(), o.feeBps(), o.commissionBps(), o.kycRequired(), connector, o.enabled(), o.codes(),
                o.params());
    }

    /** The record's fields whose values differ: their names, and their values before and after. */
    static CatalogDiff.Change change(String id, Record was, Record now) {
        List<String> fields = new ArrayList<>();
        Map<String, Object> before = new LinkedHashMap<>();
        Map<String, Object> after = new LinkedHashMap<>();
        for (RecordComponent c : was.getClass().getRecordComponents()) {
            try {
                Object old = c.getAccessor().invoke(was);
                Object value = c.getAccessor().invoke(now);
                if (!Objects.equals(old, value)) {
                    fields.add(c.getName());
                    before.put(c.getName(), old);
                    after.put(c.getName(), value);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return new CatalogDiff.Change(id, fields, before, after);
    }

    /** An id listed twice would be written twice: refused before anything is. */
    private static void refuseDuplicates(CatalogFile file) {
        Map<String, String> problems = new LinkedHashMap<>();
        twice("categories", file.categories().stream().map(Category::id).toList(), problems);
        twice("locations", file.locations().stream().map(Location::id).toList(), problems);
        twice("operators", file.operators().stream().map(e -> e.operator().id()).toList(), problems);
        for (int i = 0; i < file.operators().size(); i++) {
            List<Plan> plans = file.operators().get(i).plans();
            if (plans != null) {
                twice("operators[" + i + "].plans", plans.stream().map(Plan::code).toList(), problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                    "The catalog file lists " + problems.size() + " entr(ies) twice.", problems);
        }
    }

    private static void twice(String list, List<String> ids, Map<String, String> problems) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!seen.add(ids.get(i))) {
                problems.put(list + "[" + i + "].id", "'" + ids.get(i) + "' is listed twice");
            }
        }
    }

    /** Runs one write; a refusal names its fields under the entry's place in the file. */
    private static void at(String at, Runnable write) {
        try {
            write.run();
        } catch (BillSwitchException e) {
            Map<String, String> fields = new LinkedHashMap<>();
            e.fields().forEach((field, problem) -> fields.put(at + field, problem));
            if (fields.isEmpty()) {
                fields.put(at.substring(0, at.length() - 1), e.getMessage());
            }
            throw new BillSwitchException(e.code(), "The catalog file's " + at.substring(0, at.length() - 1) + " is refused: "
                    + e.getMessage(), fields);
        }
    }

    private static <T> Map<String, T> byId(List<T> list, Function<T, String> id) {
        return list.stream().collect(Collectors.toMap(id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    }

    private static final class Tally {
        final List<String> created = new ArrayList<>();
        final List<CatalogDiff.Change> changed = new ArrayList<>();
        final List<String> disabled = new ArrayList<>();
        int unchanged;

        CatalogDiff.Changes changes() {
            return new CatalogDiff.Changes(List.copyOf(created), List.copyOf(changed), List.copyOf(disabled), unchanged);
        }
    }
}
