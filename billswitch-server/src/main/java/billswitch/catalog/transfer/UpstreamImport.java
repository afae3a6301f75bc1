package billswitch.catalog.transfer;

import billswitch.catalog.CatalogAdmin;
import billswitch.catalog.Category;
import billswitch.catalog.Location;
import billswitch.catalog.Operator;
import billswitch.catalog.Param;
import billswitch.catalog.Plan;
import billswitch.connector.appotapay.AppotaCatalog;
import billswitch.connector.eko.EkoCatalog;
import billswitch.connector.spi.UpstreamOperator;
import billswitch.routing.Route;
import billswitch.routing.RoutingAdmin;
import billswitch.shared.BillSwitchException;
import billswitch.shared.Currency;
import billswitch.shared.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Imports an upstream's operator list into the catalog for one connector: Eko's operators with their parameters,
 * AppotaPay's topup product codes. The list comes from the upstream through the connector ({@link #pull}) or from an
 * upload of the provider's own answers ({@link #readUpload}); it is turned into catalog entries and written by
 * {@link CatalogTransfer} (one transaction; a dry run rolls back), never disabling anything.
 * <p>
 * An upstream operator is the catalog operator routed to it through this connector with its code, else the one
 * carrying its code (Eko's operator_id as codes.ekoOperatorId, AppotaPay's telco as codes.appotaTelco). A known one
 * takes the upstream's code, fetch support and channels (its KYC flag only turns on); its name, limits, fees, enabled
 * flag and parameters stay the catalog's, except that a parameter the upstream requires and it lacks is added.
 * AppotaPay's product codes are added or updated as its plans by code, never deleted; a product outside the
 * operator's limits is not imported. An unknown one is created <b>disabled</b>, with guarded defaults (₹1 to
 * ₹1,00,000, no fee), for a person to check and enable. The connector's route to it names its code: a new route comes
 * after the operator's others, which are never removed. Everything a person should check (routes added, parameters
 * added, plans the upstream does not list, products outside the limits) is listed in the {@link Result}. Operators
 * routed through the connector whose code the upstream no longer lists are reported, not changed: they may be paid
 * elsewhere.
 */
@Service
public class UpstreamImport {
    private static final int INR_MIN = 100;
    private static final long INR_MAX = 10_000_000;

    private final CatalogAdmin catalog;
    private final RoutingAdmin routing;
    private final CatalogTransfer transfer;

    UpstreamImport(CatalogAdmin catalog, RoutingAdmin routing, CatalogTransfer transfer) {
        this.catalog = catalog;
        this.routing = routing;
        this.transfer = transfer;
    }

    /**
     * What an upstream's list did or would do to the catalog: the diff, the operators routed through the connector
     * the list no longer names, the upstream operators not imported, and what a person should look at: each route
     * the import adds or re-codes, each route it does not add, each parameter it adds to an existing operator, each
     * plan of ours the upstream does not list (kept), and each upstream product outside its operator's limits (not
     * imported).
     */
    public record Result(String connector, CatalogDiff diff, List<String> missingUpstream, List<Skipped> skipped,
                         List<RouteChange> routeChanges, List<RouteLeft> routesNotAdded, List<ParamAdded> paramsAdded,
                         List<PlanRef> plansNotListed, List<ProductOutsideLimits> productsOutsideLimits) {
    }

    /** An upstream operator not imported, and why. */
    public record Skipped(String code, String reason) {
    }

    /**
     * A route through the connector the import adds (previousUpstreamCode null), at the lowest priority after the
     * operator's others, or whose upstream code it changes; operatorEnabled says whether payments take it at once.
     */
    public record RouteChange(String operatorId, boolean operatorEnabled, String connector, String upstreamCode, int priority,
                              String previousUpstreamCode) {
    }

    /** A route the import does not add, and why. */
    public record RouteLeft(String operatorId, String reason) {
    }

    /** A parameter the upstream requires that an existing operator lacked, added (required, with the upstream's rule). */
    public record ParamAdded(String operatorId, String name, String label, String regex) {
    }

    /** A plan of ours the upstream does not list: kept, for a person to check. */
    public record PlanRef(String operatorId, String code) {
    }

    /** An upstream product outside its operator's min/max: not imported as a plan (the limits stay ours). */
    public record ProductOutsideLimits(String operatorId, String code, long amountMinor, long minAmountMinor,
                                       long maxAmountMinor) {
    }

    /** The connector's upstream's list, asked through the connector now. */
    public List<UpstreamOperator> pull(String connector) {
        return routing.upstreamOperators(connector);
    }

    /**
     * An uploaded list in the provider's own answer format: for an eko connector {"operators": the operators answer,
     * "parameters": [each operator's parameters answer, ...]}; for an appotapay connector the productCodes answer.
     */
    public List<UpstreamOperator> readUpload(String connector, JsonNode body) {
        String type = routing.connector(connector).type();
        try {
            return switch (type) {
                case "eko" -> {
                    JsonNode operators = body.get("operators");
                    if (operators == null) {
                        throw new IllegalArgumentException("the upload needs \"operators\": Eko's operators answer "
                                + "(and \"parameters\": a list of Eko's operator parameters answers)");
                    }
                    Map<String, List<UpstreamOperator.Param>> params = new LinkedHashMap<>();
                    JsonNode answers = body.path("parameters");
                    for (JsonNode answer : answers) {
                        EkoCatalog.OperatorParams p = EkoCatalog.params(answer);
                        if (p.code() == null) {
                            throw new IllegalArgumentException("an operator parameters answer has no operator_id");
                        }
                        params.put(p.code(), p.params());
                    }
                    yield EkoCatalog.operators(operators).stream()
                            .map(o -> params.containsKey(o.code()) ? o.withParams(params.get(o.code())) : o).toList();
                }
                case "appotapay" -> AppotaCatalog.topupProducts(body);
                default -> throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                        "Connector '" + connector + "' is of type " + type + ", whose operator lists are not read: eko and appotapay are.");
            };
        } catch (IllegalArgumentException e) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The upload is not " + type + "'s answer: " + e.getMessage(),
                    Map.of("body", e.getMessage()));
        }
    }

    public Result importList(String connector, List<UpstreamOperator> listed, boolean dryRun) {
        String type = routing.connector(connector).type();
        Map<String, List<Route>> routes = routing.allRoutes();
        List<Operator> stored = catalog.operators();
        Map<String, List<Plan>> plans = catalog.plans().stream().collect(Collectors.groupingBy(Plan::operatorId));
        Map<String, Operator> routed = new LinkedHashMap<>();
        for (Operator o : stored) {
            for (Route r : routes.getOrDefault(o.id(), List.of())) {
                if (r.connector().equals(connector)) {
                    routed.put(r.upstreamCode(), o);
                }
            }
        }
        Map<String, UpstreamOperator> byCode = new LinkedHashMap<>();
        listed.forEach(u -> byCode.putIfAbsent(u.code(), u));
        List<CatalogFile.Entry> entries = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Notes notes = new Notes();
        Set<String> taken = new LinkedHashSet<>();
        for (UpstreamOperator u : byCode.values()) {
            Operator known = routed.containsKey(u.code()) ? routed.get(u.code()) : stored.stream()
                    .filter(o -> u.code().equals(type.equals("eko") ? String.valueOf(o.codes().ekoOperatorId()) : o.codes().appotaTelco()))
                    .findFirst().orElse(null);
            Operator target;
            List<ParamAdded> added = new ArrayList<>();
            try {
                target = known != null ? update(known, u, type, added) : created(u, type);
            } catch (IllegalArgumentException e) {
                skipped.add(new Skipped(u.code(), e.getMessage()));
                continue;
            }
            if (!taken.add(target.id())) {
                skipped.add(new Skipped(u.code(), "operator '" + target.id() + "' is already another listed code's"));
                continue;
            }
            notes.params.addAll(added);
            List<Plan> targetPlans;
            if (known == null) {
                targetPlans = type.equals("appotapay") && u.products() != null ? products(target, u) : List.of();
            } else {
                targetPlans = type.equals("appotapay") && u.products() != null
                        ? merged(target, plans.getOrDefault(target.id(), List.of()), u, notes) : null;
            }
            entries.add(new CatalogFile.Entry(target, targetPlans,
                    routesWith(target, known == null, routes.getOrDefault(target.id(), List.of()), connector, u.code(), notes)));
            codes.add(u.code());
        }
        List<String> missing = routed.entrySet().stream().filter(e -> !byCode.containsKey(e.getKey()))
                .map(e -> e.getValue().id()).distinct().toList();
        CatalogDiff diff;
        try {
            diff = transfer.importFile(new CatalogFile(List.of(), List.of(), entries), false, dryRun);
        } catch (BillSwitchException e) {
            throw named(e, codes);
        }
        return new Result(connector, diff, missing, skipped, notes.routes, notes.routesLeft, notes.params, notes.plansNotListed,
                notes.outside);
    }

    /** What an import reports beside its diff. */
    private static final class Notes {
        final List<RouteChange> routes = new ArrayList<>();
        final List<RouteLeft> routesLeft = new ArrayList<>();
        final List<ParamAdded> params = new ArrayList<>();
        final List<PlanRef> plansNotListed = new ArrayList<>();
        final List<ProductOutsideLimits> outside = new ArrayList<>();
    }

    /** A refusal's fields named by the upstream code ({@code upstream[81].params[0].regex}), not the entry's index. */
    private static BillSwitchException named(BillSwitchException e, List<String> codes) {
        Map<String, String> fields = new LinkedHashMap<>();
        e.fields().forEach((field, problem) -> {
            String renamed = field;
            if (field.startsWith("operators[")) {
                int end = field.indexOf(']');
                int index = Integer.parseInt(field.substring("operators[".length(), end));
                renamed = "upstream[" + codes.get(index) + "]" + field.substring(end + 1);
            }
            fields.put(renamed, problem);
        });
        String message = e.getMessage();
        for (int i = 0; i < codes.size(); i++) {
            message = message.replace("operators[" + i + "]", "upstream[" + codes.get(i) + "]");
        }
        return new BillSwitchException(e.code(), message, fields);
    }

    /**
     * An existing operator as the upstream's list leaves it: its provider code, fetch support and channels follow the
     * upstream, its KYC flag only ever turns on; its limits, fees, enabled flag and parameters stay ours, except that
     * a parameter the upstream requires and it lacks is added (reported in {@code added}).
     */
    private Operator update(Operator o, UpstreamOperator u, String type, List<ParamAdded> added) {
        Operator.FetchOption fetch = o.fetchOption();
        if (Boolean.FALSE.equals(u.billFetch()) && type.equals("eko")) {
            fetch = Operator.FetchOption.NOT_SUPPORTED;
        } else if (Boolean.TRUE.equals(u.billFetch()) && fetch == Operator.FetchOption.NOT_SUPPORTED) {
            fetch = Operator.FetchOption.OPTIONAL;
        }
        List<Operator.Channel> channels = channels(o.channels(), u.highCommission());
        List<Param> params = new ArrayList<>(o.params());
        if (u.params() != null) {
            for (Param p : params(u.params())) {
                if (!p.account() && p.required() && o.params().stream().noneMatch(ours -> ours.name().equals(p.name()))) {
                    params.add(p);
                    added.add(new ParamAdded(o.id(), p.name(), p.label(), p.regex()));
                }
            }
        }
        Operator.ProviderCodes codes = o.codes();
        if (type.equals("eko")) {
            codes = new Operator.ProviderCodes(codes.aopayOperator(), codes.aopayProductId(), ekoId(u.code()),
                    codes.appotaServiceCode(), codes.appotaTelco());
        } else {
            codes = new Operator.ProviderCodes(codes.aopayOperator(), codes.aopayProductId(), codes.ekoOperatorId(),
                    codes.appotaServiceCode(), u.code());
        }
        return new Operator(o.id(), o.name(), o.categoryId(), o.locationId(), o.kind(), o.country(), o.currency(), fetch,
                o.exactness(), o.minAmountMinor(), o.maxAmountMinor(), o.partialPayment(), channels, o.feeFlatMinor(),
                o.feeBps(), o.commissionBps(), o.kycRequired() || Boolean.TRUE.equals(u.kycRequired()), o.connector(),
                o.enabled(), codes, params);
    }

    private Operator created(UpstreamOperator u, String type) {
        if (type.equals("eko")) {
            Category category = catalog.categories().stream()
                    .filter(c -> c.country().equals("IN") && u.categoryProviderId() != null && c.providerId() == u.categoryProviderId())
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no category with providerId "
                            + u.categoryProviderId() + " (Eko's operator_category): create it, then import again"));
            String location = catalog.locations().stream()
                    .filter(l -> l.country().equals("IN") && u.locationProviderId() != null && l.providerId() == u.locationProviderId())
                    .map(Location::id).findFirst().orElse(null);
            Operator.Kind kind = switch (category.group()) {
                case "Recharge" -> category.id().toLowerCase(Locale.ROOT).contains("dth") ? Operator.Kind.DTH : Operator.Kind.PREPAID;
                case "Telecom" -> Operator.Kind.POSTPAID;
                default -> Operator.Kind.UTILITY;
            };
            boolean fetch = !Boolean.FALSE.equals(u.billFetch()) && kind != Operator.Kind.PREPAID && kind != Operator.Kind.DTH;
            List<Param> params = u.params() == null || u.params().isEmpty()
                    ? List.of(new Param("utility_acc_no", "Account number", Param.Type.AlphaNumeric, null, null, true, true, List.of()))
                    : params(u.params());
            return new Operator("eko-" + u.code(), u.name() == null ? "Eko operator " + u.code() : u.name(), category.id(),
                    location, kind, "IN", Currency.INR,
                    fetch ? Operator.FetchOption.OPTIONAL : Operator.FetchOption.NOT_SUPPORTED,
                    fetch ? Operator.Exactness.EXACT_AND_ABOVE : Operator.Exactness.ADHOC, INR_MIN, INR_MAX, false,
                    channels(List.of(Operator.Channel.INSTANT), u.highCommission()), 0, 0, 0,
                    Boolean.TRUE.equals(u.kycRequired()), null, false,
                    new Operator.ProviderCodes(null, null, ekoId(u.code()), null, null), params);
        }
        List<Category> vn = catalog.categories().stream().filter(c -> c.country().equals("VN")).toList();
        Category category = vn.stream().filter(c -> c.id().equals("TOPUP_MOBILE")).findFirst()
                .or(() -> vn.stream().filter(c -> c.group().equals("Recharge")).findFirst())
                .orElseThrow(() -> new IllegalArgumentException(
                        "no Vietnamese category for mobile top-ups (TOPUP_MOBILE, or one of group Recharge): create it, then import again"));
        List<UpstreamOperator.Product> products = u.products() == null ? List.of() : u.products();
        if (products.isEmpty()) {
            throw new IllegalArgumentException("the telco lists no products");
        }
        long min = products.stream().mapToLong(UpstreamOperator.Product::amount).min().orElseThrow();
        long max = products.stream().mapToLong(UpstreamOperator.Product::amount).max().orElseThrow();
        return new Operator("appota-" + u.code(), u.name(), category.id(), null, Operator.Kind.PREPAID, "VN", Currency.VND,
                Operator.FetchOption.NOT_SUPPORTED, Operator.Exactness.ADHOC, Math.max(1, min), max, false,
                List.of(Operator.Channel.INSTANT), 0, 0, 0, false, null, false,
                new Operator.ProviderCodes(null, null, null, null, u.code()),
                List.of(new Param("phone_number", "Phone number", Param.Type.Numeric, "^0[0-9]{9,10}$",
                        "A Vietnamese phone number: 10 or 11 digits starting with 0", true, true, List.of())));
    }

    private static Integer ekoId(String code) {
        if (!code.matches("^[0-9]{1,9}$")) {
            throw new IllegalArgumentException("Eko's operator_id '" + code + "' is not a number");
        }
        return Integer.valueOf(code);
    }

    private static List<Operator.Channel> channels(List<Operator.Channel> current, Boolean highCommission) {
        if (highCommission == null) {
            return current;
        }
        Set<Operator.Channel> channels = new LinkedHashSet<>(current);
        if (highCommission) {
            channels.add(Operator.Channel.HIGH_COMMISSION);
        } else {
            channels.remove(Operator.Channel.HIGH_COMMISSION);
        }
        if (channels.isEmpty()) {
            channels.add(Operator.Channel.INSTANT);
        }
        return List.copyOf(channels);
    }

    /** Eko's parameters as the catalog's: utility_acc_no (else the first) is the account; every one is required. */
    private static List<Param> params(List<UpstreamOperator.Param> listed) {
        boolean named = listed.stream().anyMatch(p -> "utility_acc_no".equals(p.name()));
        List<Param> params = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            UpstreamOperator.Param p = listed.get(i);
            Param.Type type = java.util.Arrays.stream(Param.Type.values())
                    .filter(t -> t.name().equalsIgnoreCase(p.type() == null ? "" : p.type())).findFirst()
                    .orElse(Param.Type.AlphaNumeric);
            String label = p.label() == null ? p.name() : p.label();
            String error = p.errorMessage() != null ? p.errorMessage()
                    : p.regex() != null || type == Param.Type.List ? "Invalid " + label : null;
            boolean account = named ? "utility_acc_no".equals(p.name()) : i == 0;
            params.add(new Param(p.name(), label, type, p.regex(), error, true, account,
                    type == Param.Type.List ? p.values() : List.of()));
        }
        return params;
    }

    private static List<Plan> products(Operator o, UpstreamOperator u) {
        return u.products().stream().map(p -> new Plan(o.id(), p.code(), null, p.amount(),
                o.name() + " " + p.amount() + " " + o.currency(), null)).toList();
    }

    /**
     * An existing operator's plans with the upstream's products added or updated by code (an updated plan takes the
     * upstream's amount and keeps our description, validity and location). None is deleted: ours the upstream does
     * not list are reported, as are products outside the operator's limits, which are not imported.
     */
    private static List<Plan> merged(Operator o, List<Plan> stored, UpstreamOperator u, Notes notes) {
        Map<String, Plan> plans = new LinkedHashMap<>();
        stored.forEach(p -> plans.put(p.code(), p));
        Set<String> listed = new LinkedHashSet<>();
        for (UpstreamOperator.Product p : u.products()) {
            listed.add(p.code());
            if (p.amount() < o.minAmountMinor() || p.amount() > o.maxAmountMinor()) {
                notes.outside.add(new ProductOutsideLimits(o.id(), p.code(), p.amount(), o.minAmountMinor(), o.maxAmountMinor()));
                continue;
            }
            Plan ours = plans.get(p.code());
            plans.put(p.code(), ours == null
                    ? new Plan(o.id(), p.code(), null, p.amount(), o.name() + " " + p.amount() + " " + o.currency(), null)
                    : new Plan(o.id(), p.code(), ours.locationId(), p.amount(), ours.description(), ours.validity()));
        }
        stored.stream().filter(p -> !listed.contains(p.code())).forEach(p -> notes.plansNotListed.add(new PlanRef(o.id(), p.code())));
        return List.copyOf(plans.values());
    }

    /**
     * The operator's routes with this connector's naming the code, or null to leave them as they are. A route the
     * connector already has keeps its priority, weight and cost (its code follows the upstream); a new one comes last,
     * after all the operator's others, which are never removed. An operator with no routes that is paid through its
     * catalog connector gets none: a first route would take the place of that connector.
     */
    private static List<RoutingAdmin.RouteDraft> routesWith(Operator o, boolean created, List<Route> current, String connector,
                                                            String code, Notes notes) {
        if (!created && current.isEmpty() && o.connector() != null) {
            notes.routesLeft.add(new RouteLeft(o.id(), "it has no routes and is paid through its catalog connector '"
                    + o.connector() + "', which a first route would replace: add routes by hand"));
            return null;
        }
        List<RoutingAdmin.RouteDraft> drafts = new ArrayList<>();
        boolean found = false;
        int last = -1;
        for (Route r : current) {
            last = Math.max(last, r.priority());
            if (r.connector().equals(connector)) {
                found = true;
                if (r.upstreamCode().equals(code)) {
                    return null;
                }
                notes.routes.add(new RouteChange(o.id(), o.enabled(), connector, code, r.priority(), r.upstreamCode()));
                drafts.add(new RoutingAdmin.RouteDraft(connector, code, r.priority(), r.weight(), r.costMinor(),
                        r.commissionBps()));
            } else {
                drafts.add(new RoutingAdmin.RouteDraft(r.connector(), r.upstreamCode(), r.priority(), r.weight(), r.costMinor(),
                        r.commissionBps()));
            }
        }
        if (!found) {
            int priority = current.isEmpty() ? 1 : last + 1;
            notes.routes.add(new RouteChange(o.id(), o.enabled(), connector, code, priority, null));
            drafts.add(new RoutingAdmin.RouteDraft(connector, code, priority, 1, null));
        }
        return drafts;
    }
}
