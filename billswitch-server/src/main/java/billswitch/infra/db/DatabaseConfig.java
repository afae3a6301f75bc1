package billswitch.infra.db;

import billswitch.infra.config.BillSwitchProperties;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import java.sql.Connection;
import java.sql.SQLException;
import com.zaxxer.hikari.SQLExceptionOverride;
import billswitch.shared.DatabaseOutage;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.AbstractDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.context.annotation.Configuration;

/**
 * The DataSource: an external PostgreSQL when billswitch.db.url is set, else the embedded one
 * kept under the data directory; its connections come from two pools (see {@link #dataSource}).
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(BillSwitchProperties props) {
        return props.db().external() ? EmbeddedDatabase.none()
                : EmbeddedDatabase.start(props, props.db().attachToRunning());
    }

    /**
     * Two pools behind one DataSource: the payment batches' (one connection per lane and a spare), which nothing
     * else uses, and the general one (billswitch.db.max-pool-size) for request threads, the janitor, webhooks and
     * the admin API. Which one a connection comes from is decided per thread ({@link ReservedConnections}), so the
     * batches' statements, transactions and round trips are exactly as before.
     */
    @Bean(destroyMethod = "close")
    DataSource dataSource(BillSwitchProperties props, EmbeddedDatabase embedded, ObjectProvider<MeterRegistry> meters) {
        MeterRegistry registry = meters.getIfAvailable();
        HikariDataSource general = pool(props, embedded, "billswitch", props.db().maxPoolSize(), registry);
        HikariDataSource batches = pool(props, embedded, "billswitch-batches", props.batching().lanes() + 1, registry);
        return new LanePools(general, batches);
    }

    /**
     * A pool; with a meter registry, its use is published as Hikari's own metrics ({@code hikaricp_connections_*},
     * tagged by pool: billswitch and billswitch-batches). Bound here, before the pool starts: Spring Boot binds only the
     * pool a DataSource unwraps to, and only one not started yet.
     */
    private static HikariDataSource pool(BillSwitchProperties props, EmbeddedDatabase embedded, String name, int size,
                                         MeterRegistry registry) {
        HikariConfig config = new HikariConfig();
        if (registry != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
        if (props.db().external()) {
            config.setJdbcUrl(props.db().url());
            config.setUsername(props.db().user());
            config.setPassword(props.db().password());
        } else {
            config.setJdbcUrl(embedded.jdbcUrl());
            config.setUsername(EmbeddedDatabase.SUPERUSER);
            config.setPassword(embedded.password());
        }
        // Prepared statements keep one generic plan. Left to choose, PostgreSQL planned the settling
        // statement (unnest arrays of a batch) afresh on every call: 0.42 ms of planning for 0.36 ms of work.
        // Queries meant to use a partial index state its predicate as a literal, so the generic plan can;
        // lookups by id keep their filters as parameters, so it does not pick a partial index instead.
        // Every session also commits synchronously (an acknowledged payment is on disk, and on a synchronous
        // standby where there is one, whatever the server's default) and cannot run or idle in a transaction
        // for ever, holding its locks. Set at connect, in the startup packet: no round trip of their own.
        config.addDataSourceProperty("options", options(props.db()));
        config.setMaximumPoolSize(size);
        config.setPoolName(name);
        config.setConnectionTimeout(props.db().connectionTimeout().toMillis());
        AtomicReference<HikariDataSource> pool = new AtomicReference<>();
        config.setExceptionOverride(new OutageEvictsThePool(pool));
        HikariDataSource dataSource = new HikariDataSource(config);
        pool.set(dataSource);
        try {
            refuseFsyncOff(dataSource, props.db());
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

    static String options(BillSwitchProperties.Db db) {
        return "-c plan_cache_mode=force_generic_plan"
                + (db.external() || db.embeddedDurable() ? " -c synchronous_commit=on" : "")
                + " -c statement_timeout=" + db.statementTimeout().toMillis()
                + " -c idle_in_transaction_session_timeout=" + db.idleInTransactionTimeout().toMillis();
    }

    /**
     * With fsync off a crash of the database's host can lose committed payments: refused unless allowed (tests), or
     * the embedded server runs it so by our own setting (embedded-durable: false, the tests').
     */
    private static void refuseFsyncOff(DataSource dataSource, BillSwitchProperties.Db db) {
        if (db.allowFsyncOff() || (!db.external() && !db.embeddedDurable())) {
            return;
        }
        String fsync = new JdbcTemplate(dataSource).queryForObject("show fsync", String.class);
        if (!"on".equalsIgnoreCase(fsync)) {
            throw new IllegalStateException("The PostgreSQL at " + (db.external() ? db.url() : "the embedded server")
                    + " runs with fsync = " + fsync + ": a crash of its host could lose acknowledged payments. Turn "
                    + "fsync on, or (tests only) set billswitch.db.allow-fsync-off=true (BILLSWITCH_DB_ALLOW_FSYNC_OFF).");
        }
    }

    /** The general pool, or the batches' on a thread running a batch. */
    static final class LanePools extends AbstractDataSource implements AutoCloseable {
        private final HikariDataSource general;
        private final HikariDataSource batches;

        LanePools(HikariDataSource general, HikariDataSource batches) {
            this.general = general;
            this.batches = batches;
        }

        private DataSource current() {
            return ReservedConnections.inBatch() ? batches : general;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return current().getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return current().getConnection(username, password);
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return iface.isInstance(this) ? iface.cast(this) : general.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return iface.isInstance(this) || general.isWrapperFor(iface);
        }

        @Override
        public void close() {
            batches.close();
            general.close();
        }
    }

    /**
     * Spring's JDBC transaction manager, except that a ROLLBACK failing on a connection already gone (the database
     * died under the transaction) does not replace the failure that made it roll back: that one says what happened
     * (the database is unavailable), while "rollback failed: connection is closed" read as an internal error. Nothing
     * is lost: PostgreSQL discards the open transaction of a session that ends, and the pool drops the connection.
     */
    @Bean
    JdbcTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource) {
            @java.lang.Override
            protected void doRollback(DefaultTransactionStatus status) {
                try {
                    super.doRollback(status);
                } catch (TransactionSystemException e) {
                    // Only on a connection that is gone: on a live one the failure stands (the transaction manager
                    // would then switch auto-commit back on, which commits what is open).
                    if (!gone(status) && !DatabaseOutage.causedBy(e)) {
                        throw e;
                    }
                    LoggerFactory.getLogger(DatabaseConfig.class).warn("Rollback failed on a broken connection ({}); "
                            + "the database discards the transaction with its session", e.getMostSpecificCause().toString());
                }
            }
        };
    }

    private static boolean gone(DefaultTransactionStatus status) {
        try {
            return status.getTransaction() instanceof JdbcTransactionObjectSupport tx && tx.hasConnectionHolder()
                    && tx.getConnectionHolder().getConnection().isClosed();
        } catch (SQLException | RuntimeException e) {
            return true;
        }
    }

    /**
     * One connection finding the database gone (a primary killed, a failover, a standby refusing writes) means
     * every pooled connection is to the same dead or demoted server: all are evicted at once (idle ones now,
     * ones in use when given back), so the next requests connect afresh (to the new primary, through the
     * multi-host URL) instead of each failing once on a dead connection of the pool.
     */
    private record OutageEvictsThePool(AtomicReference<HikariDataSource> pool) implements SQLExceptionOverride {
        private static final Logger log = LoggerFactory.getLogger(OutageEvictsThePool.class);

        @java.lang.Override
        public Override adjudicate(SQLException e) {
            if (!DatabaseOutage.causedBy(e)) {
                return Override.CONTINUE_EVICT;
            }
            HikariDataSource dataSource = pool.get();
            if (dataSource != null && dataSource.getHikariPoolMXBean() != null) {
                log.warn("The database is unavailable ({}): every pooled connection is replaced", e.toString());
                dataSource.getHikariPoolMXBean().softEvictConnections();
            }
            return Override.MUST_EVICT;
        }
    }
}
