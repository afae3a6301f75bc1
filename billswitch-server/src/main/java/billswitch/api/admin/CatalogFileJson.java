package billswitch.api.admin;

import billswitch.api.admin.CatalogJson.OperatorView;
import billswitch.catalog.Category;
import billswitch.catalog.Location;
import billswitch.catalog.Operator;
import billswitch.catalog.Plan;
import billswitch.catalog.transfer.CatalogFile;
import billswitch.infra.http.JsonBody;
import billswitch.routing.RoutingAdmin;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The catalog file's JSON: {"format":"billswitch-catalog/1","categories":[...],"locations":[...],"operators":[...]},
 * each entry in the admin API's own shape, an operator with its "plans" and "routes" (connectors by name; an operator
 * without the key keeps the stored ones, an empty array means none). Read as
 * strictly as a single entry, every problem named by its place in the file.
 */
final class CatalogFileJson {
    private static final Set<String> FIELDS = Set.of("format", "categories", "locations", "operators");
    private static final Set<String> ROUTE_FIELDS = Set.of("connector", "upstreamCode", "priority", "weight", "cost",
            "commissionBps");

    private CatalogFileJson() {
    }

    static ObjectNode write(CatalogFile file) {
        ObjectNode root = JsonBody.mapper().createObjectNode();
        root.put("format", CatalogFile.FORMAT);
        root.set("categories", JsonBody.mapper().valueToTree(file.categories()));
        root.set("locations", JsonBody.mapper().valueToTree(file.locations()));
        ArrayNode operators = root.putArray("operators");
        for (CatalogFile.Entry e : file.operators()) {
            ObjectNode o = JsonBody.mapper().valueToTree(OperatorView.of(e.operator()));
            o.remove("connector");
            ArrayNode plans = o.putArray("plans");
            for (Plan p : e.plans()) {
                ObjectNode plan = JsonBody.mapper().valueToTree(p);
                plan.remove("operatorId");
                plans.add(plan);
            }
            ArrayNode routes = o.putArray("routes");
            for (RoutingAdmin.RouteDraft r : e.routes()) {
                ObjectNode route = routes.addObject();
                route.put("connector", r.connector());
                route.put("upstreamCode", r.upstreamCode());
                route.put("priority", r.priority());
                route.put("weight", r.weight() == null ? 1 : r.weight());
                route.put("cost", r.cost());
                if (r.commissionBps() != null && r.commissionBps() != 0) {
                    route.put("commissionBps", r.commissionBps());
                }
            }
            operators.add(o);
        }
        return root;
    }

    /** The file: INVALID_REQUEST naming every bad field ({@code operators[2].params[0].regex}) when it is not one. */
    static CatalogFile read(JsonNode root) {
        Map<String, String> problems = new LinkedHashMap<>();
        for (String name : new TreeSet<>(root.propertyNames())) {
            if (!FIELDS.contains(name)) {
                problems.put(name, "unknown field");
            }
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isString() || !CatalogFile.FORMAT.equals(format.stringValue())) {
            problems.put("format", "must be \"" + CatalogFile.FORMAT + "\" (the format this version reads)");
        }
        List<Category> categories = new ArrayList<>();
        for (JsonNode item : array(root, "categories", problems)) {
            String at = "categories[" + categories.size() + "].";
            Category c = entry(at, problems, () -> new CatalogJson(at).category(item));
            categories.add(c);
        }
        List<Location> locations = new ArrayList<>();
        for (JsonNode item : array(root, "locations", problems)) {
            String at = "locations[" + locations.size() + "].";
            locations.add(entry(at, problems, () -> new CatalogJson(at).location(item)));
        }
        List<CatalogFile.Entry> operators = new ArrayList<>();
        int i = 0;
        for (JsonNode item : array(root, "operators", problems)) {
            String at = "operators[" + i++ + "].";
            if (!item.isObject()) {
                problems.put(at.substring(0, at.length() - 1), "must be an object");
                continue;
            }
            ObjectNode node = (ObjectNode) item.deepCopy();
            JsonNode plansNode = node.remove("plans");
            JsonNode routesNode = node.remove("routes");
            Operator o = entry(at, problems, () -> new CatalogJson(at).operator(node, null));
            String id = o != null ? o.id() : item.path("id").asString("");
            List<Plan> plans = new ArrayList<>();
            for (JsonNode plan : list(plansNode, at + "plans", problems)) {
                String planAt = at + "plans[" + plans.size() + "].";
                plans.add(entry(planAt, problems, () -> new CatalogJson(planAt).plan(id, plan)));
            }
            List<RoutingAdmin.RouteDraft> routes = new ArrayList<>();
            for (JsonNode route : list(routesNode, at + "routes", problems)) {
                routes.add(route(at + "routes[" + routes.size() + "].", route, problems));
            }
            if (o != null) {
                // No "plans" or "routes" key (or null): the stored ones stay as they are; [] means none.
                operators.add(new CatalogFile.Entry(o, absent(plansNode) ? null : plans.stream().filter(p -> p != null).toList(),
                        absent(routesNode) ? null : routes));
            }
        }
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                    "The catalog file has " + problems.size() + " invalid field(s).", problems);
        }
        return new CatalogFile(categories, locations, operators);
    }

    private static boolean absent(JsonNode value) {
        return value == null || value.isNull();
    }

    private static <T> T entry(String at, Map<String, String> problems, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (BillSwitchException e) {
            problems.putAll(e.fields());
            if (e.fields().isEmpty()) {
                problems.put(at.substring(0, at.length() - 1), e.getMessage());
            }
            return null;
        }
    }

    private static List<JsonNode> array(JsonNode root, String name, Map<String, String> problems) {
        JsonNode value = root.get(name);
        if (value == null || value.isNull()) {
            problems.put(name, "is required (an array, empty for none)");
            return List.of();
        }
        return list(value, name, problems);
    }

    private static List<JsonNode> list(JsonNode value, String at, Map<String, String> problems) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            problems.put(at, "must be an array");
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        return items;
    }

    private static RoutingAdmin.RouteDraft route(String at, JsonNode node, Map<String, String> problems) {
        if (!node.isObject()) {
            problems.put(at.substring(0, at.length() - 1), "must be an object");
            return null;
        }
        for (String name : new TreeSet<>(node.propertyNames())) {
            if (!ROUTE_FIELDS.contains(name)) {
                problems.put(at + name, "unknown field");
            }
        }
        String connector = text(node, "connector", at, problems);
        String upstreamCode = text(node, "upstreamCode", at, problems);
        Long priority = whole(node, "priority", at, true, problems);
        Long weight = whole(node, "weight", at, false, problems);
        Long cost = whole(node, "cost", at, false, problems);
        Long commissionBps = whole(node, "commissionBps", at, false, problems);
        if (commissionBps != null && (commissionBps < 0 || commissionBps > 10_000)) {
            problems.put(at + "commissionBps", "must be between 0 and 10000 (basis points of the amount)");
        }
        return new RoutingAdmin.RouteDraft(connector, upstreamCode, priority == null ? null : priority.intValue(),
                weight == null ? null : weight.intValue(), cost, commissionBps == null ? null : commissionBps.intValue());
    }

    private static String text(JsonNode node, String name, String at, Map<String, String> problems) {
        JsonNode v = node.get(name);
        if (v == null || !v.isString() || v.stringValue().isBlank()) {
            problems.put(at + name, "is required (a string)");
            return null;
        }
        return v.stringValue();
    }

    private static Long whole(JsonNode node, String name, String at, boolean required, Map<String, String> problems) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                problems.put(at + name, "is required (a whole number)");
            }
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() && !name.equals("cost") || !v.canConvertToLong()) {
            problems.put(at + name, "must be a whole number");
            return null;
        }
        return v.longValue();
    }
}
