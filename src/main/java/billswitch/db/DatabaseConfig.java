package billswitch.db;

import billswitch.shared.BillSwitchProperties;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
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
        config.setMaximumPoolSize(props.db().maxPoolSize());
        config.setPoolName("billswitch");
        config.setConnectionTimeout(props.db().connectionTimeout().toMillis());
        return new HikariDataSource(config);
    }
}
