package billswitch.infra.db;

import billswitch.infra.config.BillSwitchProperties;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import billswitch.shared.DatabaseOutage;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.context.annotation.Configuration;

/**
 * The one DataSource: an external PostgreSQL when billswitch.db.url is set, else the embedded one
 * kept under the data directory.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(BillSwitchProperties props) {
        return props.db().external() ? EmbeddedDatabase.none()
                : EmbeddedDatabase.start(props, props.db().attachToRunning());
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(BillSwitchProperties props, EmbeddedDatabase embedded) {
        HikariConfig config = new HikariConfig();
        if (props.db().external()) {
            config.setJdbcUrl(props.db().url());
            config.setUsername(props.db().user());
            config.setPassword(props.db().password());
        } else {
            config.setJdbcUrl(embedded.jdbcUrl());
            config.setUsername("postgres");
        }
        // Prepared statements keep one generic plan. Left to choose, PostgreSQL planned the settling
        // statement (unnest arrays of a batch) afresh on every call: 0.42 ms of planning for 0.36 ms of work.
        // Queries meant to use a partial index state its predicate as a literal, so the generic plan can;
        // lookups by id keep their filters as parameters, so it does not pick a partial index instead.
        config.addDataSourceProperty("options", "-c plan_cache_mode=force_generic_plan");
        config.setMaximumPoolSize(props.db().maxPoolSize());
        config.setPoolName("billswitch");
        config.setConnectionTimeout(props.db().connectionTimeout().toMillis());
        AtomicReference<HikariDataSource> pool = new AtomicReference<>();
        config.setExceptionOverride(new OutageEvictsThePool(pool));
        HikariDataSource dataSource = new HikariDataSource(config);
        pool.set(dataSource);
        return dataSource;
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
