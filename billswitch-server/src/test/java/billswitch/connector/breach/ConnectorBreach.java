package billswitch.connector.breach;

import java.sql.Connection;

/** Breaks "connectors know no database". For ArchitectureTest only. */
public class ConnectorBreach {
    public Connection connection;
}
