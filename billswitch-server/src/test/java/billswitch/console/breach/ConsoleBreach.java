package billswitch.console.breach;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Breaks "the console only calls services". For ArchitectureTest only. */
public class ConsoleBreach {
    public JdbcClient jdbc;
}
