package billswitch.catalog;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.postgresql.util.PSQLException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates and edits the catalog: categories, locations, operators with their parameters and provider codes,
 * and plans. Each write is checked first ({@link CatalogRules}, then that what it names exists), made in one
 * transaction, and this node's {@link Catalog} reloaded at once; the catalog tables' triggers bump the change
 * marker in that transaction, so every other node reloads at its next {@link Catalog#refresh()}. A taken id or
 * provider code is CATALOG_CONFLICT, naming the field; nothing is written when a write is refused.
 */
@Service
public class CatalogAdmin {
    /** The unique constraints of the catalog tables, by the field of the admin API each one guards. */
    private static final Map<String, String> UNIQUE_FIELDS = Map.ofEntries(
            Map.entry("categories_pkey", "id"), Map.entry("categories_provider_id_key", "providerId"),
            Map.entry("locations_pkey", "id"), Map.entry("locations_provider_id_key", "providerId"),
            Map.entry("operators_pkey", "id"), Map.entry("operators_aopay_operator", "codes.aopayOperator"),
            Map.entry("operators_aopay_product", "codes.aopayProductId"), Map.entry("operators_eko", "codes.ekoOperatorId"),
            Map.entry("operators_appota_service", "codes.appotaServiceCode"),
            Map.entry("operators_appota_telco", "codes.appotaTelco"), Map.entry("plans_pkey", "code"));

    private final JdbcClient jdbc;
    private final CatalogTables tables;
    private final Catalog catalog;
    private final TransactionTemplate tx;
    private final JsonMapper json;

    CatalogAdmin(JdbcClient jdbc, CatalogTables tables, Catalog catalog, TransactionTemplate tx, JsonMapper json) {
        this.jdbc = jdbc;
        this.tables = tables;
        this.catalog = catalog;
        this.tx = tx;
        this.json = json;
    }

    /** The categories as stored (this node's catalog may be up to one refresh behind another node's write). */
    public List<Category> categories() {
        return tables.categories();
    }

    public List<Location> locations() {
        return tables.locations();
    }

    /** The operator as stored, or UNKNOWN_OPERATOR. */
    public Operator operator(String id) {
        return tables.operator(id).orElseThrow(() -> unknownOperator(id));
    }

    public Category category(String id) {
        return tables.category(id).orElseThrow(() -> notFound("category", id));
    }

    public Location location(String id) {
        return tables.location(id).orElseThrow(() -> notFound("location", id));
    }

    /** Every operator as stored, enabled or not. */
    public List<Operator> operators() {
        return tables.operators();
    }

    /** Every plan as stored, by operator and amount. */
    public List<Plan> plans() {
        return tables.plans();
    }

    /** The operator's plans as stored. */
    public List<Plan> plans(String operatorId) {
        operator(operatorId);
        return tables.plans(operatorId);
    }

    public Category createCategory(Category c) {
        refuseProblems("category", CatalogRules.category(c));
        tx.executeWithoutResult(s -> unlessTaken("category", () -> jdbc.sql("""
                        insert into categories (id, name, grp, country, provider_id, enabled)
                        values (:id, :name, :group, :country, :providerId, :enabled)""")
                .param("id", c.id()).param("name", c.name()).param("group", c.group()).param("country", c.country())
                .param("providerId", c.providerId()).param("enabled", c.enabled()).update()));
        catalog.reloadAfterCommit();
        return tables.category(c.id()).orElseThrow();
    }

    /**
     * Changes a category: its name, group, provider id, enabled; its country only while no operator is in it.
     * Disabling it hides it and its operators from partners and refuses payments to them; enabling brings them back.
     */
    public Category editCategory(String id, UnaryOperator<Category> edit) {
        tx.executeWithoutResult(s -> {
            Category stored = tables.category(id).orElseThrow(() -> notFound("category", id));
            Category edited = edit.apply(stored);
            Map<String, String> problems = CatalogRules.category(edited);
            unchangedId(id, edited.id(), problems);
            if (!edited.country().equals(stored.country()) && inUse("category_id", id)) {
                problems.put("country", "cannot change while operators are in this category");
            }
            refuseProblems("category", problems);
            unlessTaken("category", () -> jdbc.sql("""
                            update categories set name = :name, grp = :group, country = :country, provider_id = :providerId,
                                enabled = :enabled
                            where id = :id""")
                    .param("id", id).param("name", edited.name()).param("group", edited.group())
                    .param("country", edited.country()).param("providerId", edited.providerId())
                    .param("enabled", edited.enabled()).update());
        });
        catalog.reloadAfterCommit();
        return category(id);
    }

    public Location createLocation(Location l) {
        refuseProblems("location", CatalogRules.location(l));
        tx.executeWithoutResult(s -> unlessTaken("location", () -> jdbc.sql("""
                        insert into locations (id, name, abbreviation, country, provider_id, enabled)
                        values (:id, :name, :abbreviation, :country, :providerId, :enabled)""")
                .param("id", l.id()).param("name", l.name()).param("abbreviation", l.abbreviation())
                .param("country", l.country()).param("providerId", l.providerId()).param("enabled", l.enabled()).update()));
        catalog.reloadAfterCommit();
        return tables.location(l.id()).orElseThrow();
    }

    /** Changes a location, as {@link #editCategory} a category. */
    public Location editLocation(String id, UnaryOperator<Location> edit) {
        tx.executeWithoutResult(s -> {
            Location stored = tables.location(id).orElseThrow(() -> notFound("location", id));
            Location edited = edit.apply(stored);
            Map<String, String> problems = CatalogRules.location(edited);
            unchangedId(id, edited.id(), problems);
            if (!edited.country().equals(stored.country()) && inUse("location_id", id)) {
                problems.put("country", "cannot change while operators are in this location");
            }
            refuseProblems("location", problems);
            unlessTaken("location", () -> jdbc.sql("""
                            update locations set name = :name, abbreviation = :abbreviation, country = :country,
                                provider_id = :providerId, enabled = :enabled
                            where id = :id""")
                    .param("id", id).param("name", edited.name()).param("abbreviation", edited.abbreviation())
                    .param("country", edited.country()).param("providerId", edited.providerId())
                    .param("enabled", edited.enabled()).update());
        });
        catalog.reloadAfterCommit();
        return location(id);
    }

    private boolean inUse(String column, String id) {
        return jdbc.sql("select exists (select 1 from operators where " + column + " = :id)").param("id", id)
                .query(Boolean.class).single();
    }

    private static void unchangedId(String id, String edited, Map<String, String> problems) {
        if (!edited.equals(id)) {
            problems.put("id", "cannot be changed (it is '" + id + "')");
        }
    }

    /**
     * Adds an operator. Its connector is not written: an operator created here has no default connector and is
     * paid through the routes configured for it.
     */
    public Operator createOperator(Operator o) {
        tx.executeWithoutResult(s -> {
            refuseProblems("operator", problems(o));
            refuseTakenCodes(o);
            unlessTaken("operator", () -> bind(jdbc.sql("""
                    insert into operators (id, name, category_id, location_id, kind, country, currency, fetch_option,
                        exactness, min_amount_minor, max_amount_minor, partial_payment, channels, fee_flat_minor, fee_bps,
                        commission_bps, kyc_required, enabled, aopay_operator, aopay_product_id, eko_operator_id,
                        appota_service_code, appota_telco, params)
                    values (:id, :name, :categoryId, :locationId, :kind, :country, :currency, :fetchOption,
                        :exactness, :minAmountMinor, :maxAmountMinor, :partialPayment, :channels, :feeFlatMinor, :feeBps,
                        :commissionBps, :kycRequired, :enabled, :aopayOperator, :aopayProductId, :ekoOperatorId,
                        :appotaServiceCode, :appotaTelco, :params::jsonb)"""), o).update());
        });
        catalog.reloadAfterCommit();
        return operator(o.id());
    }

    /**
     * Changes an operator: {@code edit} is given the operator as stored, its row locked, and answers the operator
     * as it should be, checked as a new one is. The id and the connector never change.
     */
    public Operator editOperator(String id, UnaryOperator<Operator> edit) {
        tx.executeWithoutResult(s -> {
            Operator stored = tables.operatorForUpdate(id).orElseThrow(() -> unknownOperator(id));
            Operator edited = edit.apply(stored);
            Map<String, String> problems = problems(edited);
            if (!edited.id().equals(id)) {
                problems.put("id", "cannot be changed (it is '" + id + "')");
            }
            refuseProblems("operator", problems);
            refuseTakenCodes(edited);
            unlessTaken("operator", () -> bind(jdbc.sql("""
                    update operators set name = :name, category_id = :categoryId, location_id = :locationId, kind = :kind,
                        country = :country, currency = :currency, fetch_option = :fetchOption, exactness = :exactness,
                        min_amount_minor = :minAmountMinor, max_amount_minor = :maxAmountMinor,
                        partial_payment = :partialPayment, channels = :channels, fee_flat_minor = :feeFlatMinor,
                        fee_bps = :feeBps, commission_bps = :commissionBps, kyc_required = :kycRequired,
                        enabled = :enabled, aopay_operator = :aopayOperator, aopay_product_id = :aopayProductId,
                        eko_operator_id = :ekoOperatorId, appota_service_code = :appotaServiceCode,
                        appota_telco = :appotaTelco, params = :params::jsonb
                    where id = :id"""), edited).update());
        });
        catalog.reloadAfterCommit();
        return operator(id);
    }

    /** Adds a plan (a recharge plan, or a fixed-denomination product code) to the operator its operatorId names. */
    public Plan createPlan(Plan p) {
        tx.executeWithoutResult(s -> {
            refuseProblems("plan", planProblems(p));
            unlessTaken("plan", () -> jdbc.sql("""
                            insert into plans (operator_id, code, location_id, amount_minor, description, validity)
                            values (:operatorId, :code, :locationId, :amountMinor, :description, :validity)""")
                    .param("operatorId", p.operatorId()).param("code", p.code())
                    .param("locationId", p.locationId(), Types.VARCHAR).param("amountMinor", p.amountMinor())
                    .param("description", p.description()).param("validity", p.validity(), Types.VARCHAR).update());
        });
        catalog.reloadAfterCommit();
        return p;
    }

    /** Changes a plan: {@code edit} is given the plan as stored and answers it as it should be; the code never changes. */
    public Plan editPlan(String operatorId, String code, UnaryOperator<Plan> edit) {
        tx.executeWithoutResult(s -> {
            Plan stored = plan(operatorId, code);
            Plan edited = edit.apply(stored);
            Map<String, String> problems = planProblems(edited);
            if (!edited.code().equals(code)) {
                problems.put("code", "cannot be changed (it is '" + code + "')");
            }
            refuseProblems("plan", problems);
            jdbc.sql("""
                            update plans set location_id = :locationId, amount_minor = :amountMinor,
                                description = :description, validity = :validity
                            where operator_id = :operatorId and code = :code""")
                    .param("operatorId", operatorId).param("code", code)
                    .param("locationId", edited.locationId(), Types.VARCHAR).param("amountMinor", edited.amountMinor())
                    .param("description", edited.description()).param("validity", edited.validity(), Types.VARCHAR)
                    .update();
        });
        catalog.reloadAfterCommit();
        return plan(operatorId, code);
    }

    /** Removes a plan: new payments can no longer name it; orders made with it keep its code. */
    public void deletePlan(String operatorId, String code) {
        tx.executeWithoutResult(s -> {
            plan(operatorId, code);
            jdbc.sql("delete from plans where operator_id = :operatorId and code = :code")
                    .param("operatorId", operatorId).param("code", code).update();
        });
        catalog.reloadAfterCommit();
    }

    /** The plan as stored: UNKNOWN_OPERATOR, or NOT_FOUND when the operator has no such plan. */
    public Plan plan(String operatorId, String code) {
        operator(operatorId);
        return tables.plans(operatorId).stream().filter(p -> p.code().equals(code)).findFirst()
                .orElseThrow(() -> new BillSwitchException(ErrorCode.NOT_FOUND,
                        "Operator '" + operatorId + "' has no plan '" + code + "'."));
    }

    /** The rules, the operator (its row locked: its limits hold while the plan is written) and the plan's location. */
    private Map<String, String> planProblems(Plan p) {
        Operator operator = tables.operatorForUpdate(p.operatorId()).orElseThrow(() -> unknownOperator(p.operatorId()));
        Map<String, String> problems = CatalogRules.plan(p, operator);
        if (p.locationId() != null && tables.location(p.locationId()).isEmpty()) {
            problems.put("locationId", "no location '" + p.locationId() + "'");
        }
        return problems;
    }

    /** The rules, and that the category and location named exist in the operator's country. */
    private Map<String, String> problems(Operator o) {
        Map<String, String> problems = CatalogRules.operator(o);
        tables.category(o.categoryId()).ifPresentOrElse(
                c -> sameCountry("categoryId", "category", c.country(), o.country(), problems),
                () -> problems.put("categoryId", "no category '" + o.categoryId() + "'"));
        if (o.locationId() != null) {
            tables.location(o.locationId()).ifPresentOrElse(
                    l -> sameCountry("locationId", "location", l.country(), o.country(), problems),
                    () -> problems.put("locationId", "no location '" + o.locationId() + "'"));
        }
        return problems;
    }

    private static void sameCountry(String field, String what, String theirs, String country, Map<String, String> problems) {
        if (!theirs.equals(country)) {
            problems.put(field, "is a " + what + " of " + theirs + ", not of the operator's country " + country);
        }
    }

    private static void refuseProblems(String what, Map<String, String> problems) {
        if (!problems.isEmpty()) {
            throw new BillSwitchException(ErrorCode.INVALID_REQUEST,
                    "The " + what + " has " + problems.size() + " invalid field(s).", problems);
        }
    }

    /** Each provider code must name one operator: the dialects find the operator by it. */
    private void refuseTakenCodes(Operator o) {
        Operator.ProviderCodes mine = o.codes();
        Map<String, String> taken = new LinkedHashMap<>();
        jdbc.sql("""
                        select id, aopay_operator, aopay_product_id, eko_operator_id, appota_service_code, appota_telco
                        from operators
                        where id <> :id and (aopay_operator = :aopayOperator or aopay_product_id = :aopayProductId
                            or eko_operator_id = :ekoOperatorId or appota_service_code = :appotaServiceCode
                            or appota_telco = :appotaTelco)
                        order by id""")
                .param("id", o.id())
                .param("aopayOperator", mine.aopayOperator(), Types.VARCHAR)
                .param("aopayProductId", mine.aopayProductId(), Types.INTEGER)
                .param("ekoOperatorId", mine.ekoOperatorId(), Types.INTEGER)
                .param("appotaServiceCode", mine.appotaServiceCode(), Types.VARCHAR)
                .param("appotaTelco", mine.appotaTelco(), Types.VARCHAR)
                .query((rs, n) -> {
                    String holder = rs.getString("id");
                    takenBy(taken, "codes.aopayOperator", mine.aopayOperator(), rs.getString("aopay_operator"), holder);
                    takenBy(taken, "codes.aopayProductId", mine.aopayProductId(), rs.getObject("aopay_product_id"), holder);
                    takenBy(taken, "codes.ekoOperatorId", mine.ekoOperatorId(), rs.getObject("eko_operator_id"), holder);
                    takenBy(taken, "codes.appotaServiceCode", mine.appotaServiceCode(), rs.getString("appota_service_code"), holder);
                    takenBy(taken, "codes.appotaTelco", mine.appotaTelco(), rs.getString("appota_telco"), holder);
                    return holder;
                }).list();
        if (!taken.isEmpty()) {
            throw new BillSwitchException(ErrorCode.CATALOG_CONFLICT,
                    "Another operator already has " + (taken.size() == 1 ? "this provider code." : "these provider codes."), taken);
        }
    }

    private static void takenBy(Map<String, String> taken, String field, Object mine, Object theirs, String holder) {
        if (mine != null && Objects.equals(mine, theirs)) {
            taken.put(field, "'" + mine + "' is already the code of operator '" + holder + "'");
        }
    }

    /**
     * Runs the write; a unique constraint it breaks is CATALOG_CONFLICT naming the field. The checks before a write
     * find a taken provider code; this finds a taken id, and a code taken by a write that committed meanwhile.
     */
    private static void unlessTaken(String what, Runnable write) {
        try {
            write.run();
        } catch (DuplicateKeyException e) {
            String field = UNIQUE_FIELDS.getOrDefault(constraint(e), "id");
            String reason = switch (field) {
                case "id" -> "is already taken";
                case "code" -> "is already taken by another plan of this operator";
                default -> "is already taken by another " + what;
            };
            throw new BillSwitchException(ErrorCode.CATALOG_CONFLICT,
                    "The " + what + " conflicts with the catalog: " + field + " " + reason + ".", Map.of(field, reason));
        }
    }

    private static String constraint(DuplicateKeyException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException p && p.getServerErrorMessage() != null) {
                return p.getServerErrorMessage().getConstraint();
            }
        }
        return null;
    }

    private JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, Operator o) {
        Operator.ProviderCodes codes = o.codes();
        return statement.param("id", o.id()).param("name", o.name()).param("categoryId", o.categoryId())
                .param("locationId", o.locationId(), Types.VARCHAR).param("kind", o.kind().name())
                .param("country", o.country()).param("currency", o.currency().name())
                .param("fetchOption", o.fetchOption().name()).param("exactness", o.exactness().name())
                .param("minAmountMinor", o.minAmountMinor()).param("maxAmountMinor", o.maxAmountMinor())
                .param("partialPayment", o.partialPayment())
                .param("channels", o.channels().stream().map(Enum::name).toArray(String[]::new))
                .param("feeFlatMinor", o.feeFlatMinor()).param("feeBps", o.feeBps()).param("commissionBps", o.commissionBps())
                .param("kycRequired", o.kycRequired()).param("enabled", o.enabled())
                .param("aopayOperator", codes.aopayOperator(), Types.VARCHAR)
                .param("aopayProductId", codes.aopayProductId(), Types.INTEGER)
                .param("ekoOperatorId", codes.ekoOperatorId(), Types.INTEGER)
                .param("appotaServiceCode", codes.appotaServiceCode(), Types.VARCHAR)
                .param("appotaTelco", codes.appotaTelco(), Types.VARCHAR)
                .param("params", json.writeValueAsString(o.params()));
    }

    private static BillSwitchException notFound(String what, String id) {
        return new BillSwitchException(ErrorCode.NOT_FOUND, "No " + what + " '" + id + "'.");
    }

    private static BillSwitchException unknownOperator(String id) {
        return new BillSwitchException(ErrorCode.UNKNOWN_OPERATOR, "No operator '" + id + "'.");
    }
}
