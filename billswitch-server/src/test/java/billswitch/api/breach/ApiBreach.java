package billswitch.api.breach;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Breaks "the APIs only call services". For ArchitectureTest only. */
public class ApiBreach {
    public JdbcClient jdbc;
}
