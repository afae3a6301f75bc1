package billswitch.pricing;

import billswitch.catalog.CatalogAdmin;
import billswitch.catalog.Category;
import billswitch.catalog.Operator;
import billswitch.partner.PartnerService;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Creates and changes pricing plans, their versions, the partners' assignments, the default plan and the billers'
 * CCF slabs, for the admin API and the console (each change audited by its caller, in the transaction this joins).
 * Every write bumps the pricing change marker (V24 triggers): this node reloads {@link Pricing} once the write
 * commits, every other node within billswitch.pricing.refresh-interval. A version is never changed once written:
 * it starts now or later, after the plan's newest version, so the terms a past payment was made under stay on record.
 */
@Service
public class PricingAdmin {
    public static final Pattern PLAN_ID = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    /** How far in the past an effectiveFrom may be (a clock a little behind ours): at most this, never before. */
    static final Duration CLOCK_SLACK = Duration.ofMinutes(1);

    private final PricingTables tables;
    private final Pricing pricing;
    private final CatalogAdmin catalog;
    private final PartnerService partners;
    private final TransactionTemplate tx;
    private final Clock clock;

    PricingAdmin(PricingTables tables, Pricing pricing, CatalogAdmin catalog, PartnerService partners,
                 TransactionTemplate tx, Clock clock) {
        this.tables = tables;
        this.pricing = pricing;
        this.catalog = catalog;
        this.partners = partners;
        this.tx = tx;
        this.clock = clock;
    }

    /** Every plan with its versions and partners, as stored. */
    public List<PricingPlan> plans() {
        String defaultPlan = tables.defaultPlan().orElse(null);
        Map<String, List<PlanVersion>> versions = tables.versions().stream()
                .collect(Collectors.groupingBy(PlanVersion::planId));
        Map<String, String> assignments = tables.assignments();
        return tables.plans().stream().map(p -> new PricingPlan(p.id(), p.name(), p.createdAt(), p.id().equals(defaultPlan),
                versions.getOrDefault(p.id(), List.of()), assignments.entrySet().stream()
                .filter(e -> e.getValue().equals(p.id())).map(Map.Entry::getKey).sorted().toList())).toList();
    }

    /** The plan as stored, or NOT_FOUND. */
    public PricingPlan plan(String id) {
        PricingTables.PlanRow p = tables.plan(id).orElseThrow(() -> noPlan(id));
        return new PricingPlan(p.id(), p.name(), p.createdAt(), p.id().equals(tables.defaultPlan().orElse(null)),
                tables.versions(id), tables.partnersOf(id));
    }

    /** The default plan's id, if one is set. */
    public String defaultPlan() {
        return tables.defaultPlan().orElse(null);
    }

    /** The partner's assigned plan's id, if it has one (else the default plan applies). */
    public String assignment(String partnerId) {
        partners.require(partnerId);
        return tables.assignment(partnerId).orElse(null);
    }

    /** Partner id to assigned plan id, every partner with one. */
    public Map<String, String> assignments() {
        return tables.assignments();
    }

    /** A new plan without versions (a partner on it is priced by the catalog until its first version starts). */
    public PricingPlan createPlan(String id, String name) {
        Map<String, String> problems = new java.util.LinkedHashMap<>();
        if (id == null || !PLAN_ID.matcher(id).matches()) {
            problems.put("id", "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            problems.put("name", "is required: at most 200 characters");
        }
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST, "The plan has " + problems.size()
                    + " invalid field(s): " + problems + ".", problems);
        }
        try {
            tx.executeWithoutResult(s -> tables.insertPlan(id, name.strip()));
        } catch (DuplicateKeyException e) {
            throw new BillSwitchException(ErrorCode.CATALOG_CONFLICT, "The pricing plan id '" + id + "' is already taken.",
                    Map.of("id", "is already taken"));
        }
        reloadAfterCommit();
        return plan(id);
    }

    /** Adds a version to the plan from its JSON ({"effectiveFrom", "rules"}); INVALID_REQUEST naming each bad field. */
    public PlanVersion addVersion(String planId, JsonNode body, String createdBy) {
        Set<String> operators = catalog.operators().stream().map(Operator::id).collect(Collectors.toSet());
        Set<String> categories = catalog.categories().stream().map(Category::id).collect(Collectors.toSet());
        PricingJson.NewVersion asked = PricingJson.version(body, operators::contains, categories::contains);
        Instant now = clock.instant();
        Instant from = asked.effectiveFrom() == null ? now : asked.effectiveFrom();
        long id = tx.execute(s -> {
            tables.planForUpdate(planId).orElseThrow(() -> noPlan(planId));
            if (from.isBefore(now.minus(CLOCK_SLACK))) {
                throw refused("effectiveFrom", "must not be in the past: a past payment keeps the terms it was made under");
            }
            List<PlanVersion> versions = tables.versions(planId);
            if (!versions.isEmpty() && !from.isAfter(versions.getLast().effectiveFrom())) {
                throw refused("effectiveFrom", "must be after the plan's newest version's start ("
                        + versions.getLast().effectiveFrom() + ")");
            }
            return tables.insertVersion(planId, from, asked.rules(), createdBy);
        });
        reloadAfterCommit();
        return tables.versions(planId).stream().filter(v -> v.id() == id).findFirst().orElseThrow();
    }

    /** Puts the partner on the plan (from now on: past payments keep their figures). */
    public String assign(String partnerId, String planId) {
        partners.require(partnerId);
        if (planId == null) {
            throw refused("planId", "is required");
        }
        tx.executeWithoutResult(s -> {
            tables.planForUpdate(planId).orElseThrow(() -> new BillSwitchException(ErrorCode.INVALID_REQUEST,
                    "No pricing plan '" + planId + "'.", Map.of("planId", "no pricing plan '" + planId + "'")));
            tables.assign(partnerId, planId);
        });
        reloadAfterCommit();
        return planId;
    }

    /** Takes the partner off its plan: the default plan applies to it again. NOT_FOUND when it had none. */
    public void unassign(String partnerId) {
        partners.require(partnerId);
        if (!tx.execute(s -> tables.unassign(partnerId))) {
            throw new BillSwitchException(ErrorCode.NOT_FOUND, "Partner '" + partnerId + "' has no pricing plan of its own.");
        }
        reloadAfterCommit();
    }

    /** Makes the plan the default (null: no default plan; partners without a plan get the catalog's commission). */
    public String setDefaultPlan(String planId) {
        tx.executeWithoutResult(s -> {
            if (planId != null) {
                tables.planForUpdate(planId).orElseThrow(() -> new BillSwitchException(ErrorCode.INVALID_REQUEST,
                        "No pricing plan '" + planId + "'.", Map.of("planId", "no pricing plan '" + planId + "'")));
            }
            tables.setDefaultPlan(planId);
        });
        reloadAfterCommit();
        return planId;
    }

    /** The biller's CCF slabs as stored (empty: its catalog fee is its CCF). UNKNOWN_OPERATOR. */
    public List<CcfSlab> ccfSlabs(String operatorId) {
        catalog.operator(operatorId);
        return tables.ccfSlabs(operatorId);
    }

    /** Every biller's CCF slabs, by biller id (billers without slabs are absent). */
    public Map<String, List<CcfSlab>> allCcfSlabs() {
        Map<String, List<CcfSlab>> all = new java.util.LinkedHashMap<>();
        for (PricingTables.OperatorSlab s : tables.ccfSlabs()) {
            all.computeIfAbsent(s.operatorId(), k -> new java.util.ArrayList<>()).add(s.slab());
        }
        return all;
    }

    /** Replaces the biller's CCF slabs with those of the JSON body ({"slabs": [...]}); an empty list removes them. */
    public List<CcfSlab> replaceCcfSlabs(String operatorId, JsonNode body) {
        catalog.operator(operatorId);
        List<CcfSlab> slabs = PricingJson.ccfSlabs(body);
        tx.executeWithoutResult(s -> tables.replaceCcfSlabs(operatorId, slabs));
        reloadAfterCommit();
        return tables.ccfSlabs(operatorId);
    }

    /** What a payment would be priced at on this node now: the admin API's quote. */
    public Price quote(String partnerId, String operatorId, long amountMinor, PaymentMode mode) {
        partners.require(partnerId);
        return pricing.price(partnerId, catalog.operator(operatorId), amountMinor, mode);
    }

    private void reloadAfterCommit() {
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isActualTransactionActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            pricing.reload();
                        }
                    });
        } else {
            pricing.reload();
        }
    }

    private static BillSwitchException refused(String field, String reason) {
        return new BillSwitchException(ErrorCode.INVALID_REQUEST, field + " " + reason + ".", Map.of(field, reason));
    }

    private static BillSwitchException noPlan(String id) {
        return new BillSwitchException(ErrorCode.NOT_FOUND, "No pricing plan '" + id + "'.");
    }
}
