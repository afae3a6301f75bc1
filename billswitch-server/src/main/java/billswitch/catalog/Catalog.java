package billswitch.catalog;

import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operator catalog, read from the database into an immutable in-memory snapshot: every payment
 * consults it, so it must not cost a query. {@link #reload()} swaps in a fresh snapshot; {@link #refresh()}
 * does so when the catalog's change marker has moved, so every node sees a change made on another within
 * billswitch.catalog.refresh-interval.
 */
@Service
public class Catalog {
    private static final Logger log = LoggerFactory.getLogger(Catalog.class);

    private final CatalogTables tables;
    private final TransactionTemplate consistentRead;
    private volatile Snapshot snapshot;

    Catalog(CatalogTables tables, PlatformTransactionManager transactions) {
        this.tables = tables;
        this.consistentRead = new TransactionTemplate(transactions);
        consistentRead.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        consistentRead.setReadOnly(true);
        reload();
    }

    /**
     * The catalog and its change marker (version), read in one database snapshot. An operator of a disabled category
     * or location is disabled here (payments refuse it); the lists are what partners are shown: only what is enabled.
     * byId holds every operator, enabled or not: a payment to a disabled one is refused as such, and an existing
     * order still finds its operator.
     */
    private record Snapshot(long version, List<Category> categories, List<Location> locations, List<Operator> operators,
                            Map<String, Operator> byId, List<Plan> plans) {
        static Snapshot of(long version, List<Category> categories, List<Location> locations, List<Operator> stored,
                           List<Plan> plans) {
            Set<String> offCategories = categories.stream().filter(c -> !c.enabled()).map(Category::id)
                    .collect(Collectors.toUnmodifiableSet());
            Set<String> offLocations = locations.stream().filter(l -> !l.enabled()).map(Location::id)
                    .collect(Collectors.toUnmodifiableSet());
            List<Operator> all = stored.stream().map(o -> offCategories.contains(o.categoryId())
                    || o.locationId() != null && offLocations.contains(o.locationId()) ? o.withEnabled(false) : o).toList();
            return new Snapshot(version, categories.stream().filter(Category::enabled).toList(),
                    locations.stream().filter(Location::enabled).toList(), all.stream().filter(Operator::enabled).toList(),
                    all.stream().collect(Collectors.toUnmodifiableMap(Operator::id, Function.identity())), plans);
        }
    }

    /**
     * Reads the whole catalog in one database snapshot. Synchronized: two reloads at once (the refresh and an
     * admin write) could otherwise finish in the wrong order and leave the older catalog in place.
     */
    public synchronized void reload() {
        snapshot = consistentRead.execute(s -> Snapshot.of(tables.version(), tables.categories(), tables.locations(),
                tables.operators(), tables.plans()));
    }

    /**
     * Reloads the catalog once the surrounding transaction commits (at once without one): once per transaction,
     * however many writes it made (an import writes hundreds).
     */
    void reloadAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()
                && TransactionSynchronizationManager.isActualTransactionActive()) {
            if (!TransactionSynchronizationManager.hasResource(this)) {
                TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCompletion(int status) {
                        TransactionSynchronizationManager.unbindResourceIfPossible(Catalog.this);
                        if (status == STATUS_COMMITTED) {
                            reload();
                        }
                    }
                });
            }
        } else {
            reload();
        }
    }

    /** Reloads the catalog when it changed since it was read, here or on another node: one small query otherwise. */
    @Scheduled(fixedDelayString = "${billswitch.catalog.refresh-interval}", initialDelayString = "${billswitch.catalog.refresh-interval}")
    void refresh() {
        try {
            long current = tables.version();
            long loaded = snapshot.version();
            if (current != loaded) {
                reload();
                log.info("The catalog changed (version {} to {}): reloaded", loaded, snapshot.version());
            }
        } catch (RuntimeException e) {
            log.warn("Checking the catalog for changes failed; it is checked again shortly", e);
        }
    }

    /** The enabled categories: what partners are shown. */
    public List<Category> categories() {
        return snapshot.categories();
    }

    /** The enabled locations. */
    public List<Location> locations() {
        return snapshot.locations();
    }

    /** The enabled operators (of enabled categories and locations): what partners are shown. */
    public List<Operator> operators() {
        return snapshot.operators();
    }

    /** Enabled operators matching every filter given (null filters match all). */
    public List<Operator> operators(String categoryId, String locationId, String country) {
        return snapshot.operators().stream()
                .filter(o -> categoryId == null || o.categoryId().equals(categoryId))
                .filter(o -> locationId == null || locationId.equals(o.locationId()))
                .filter(o -> country == null || o.country().equals(country))
                .toList();
    }

    /** The operator, enabled or not (one of a disabled category or location is disabled). */
    public Optional<Operator> find(String operatorId) {
        return Optional.ofNullable(operatorId == null ? null : snapshot.byId().get(operatorId));
    }

    /** The operator, or UNKNOWN_OPERATOR. */
    public Operator require(String operatorId) {
        return find(operatorId).orElseThrow(() ->
                new BillSwitchException(ErrorCode.UNKNOWN_OPERATOR, "No operator '" + operatorId + "'."));
    }

    /** Finds an operator, enabled or not, by one of its provider codes. */
    public Optional<Operator> findBy(Function<Operator.ProviderCodes, Object> code, Object value) {
        return snapshot.byId().values().stream().filter(o -> value != null && value.equals(code.apply(o.codes()))).findFirst();
    }

    public List<Plan> plans(String operatorId) {
        return snapshot.plans().stream().filter(p -> p.operatorId().equals(operatorId))
                .sorted(Comparator.comparingLong(Plan::amountMinor)).toList();
    }

    public Optional<Plan> plan(String operatorId, String code) {
        return snapshot.plans().stream().filter(p -> p.operatorId().equals(operatorId) && p.code().equals(code)).findFirst();
    }
}
