package billswitch.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which failures are the database being away (answered 503 DATABASE_UNAVAILABLE) and which are not. */
class DatabaseOutageCausesTest {

    @Test
    void connectionFailuresShutdownsAndReadOnlyServersAreOutages() {
        assertThat(DatabaseOutage.causedBy(new SQLException("I/O error", "08006"))).isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLException("refused", "08001"))).isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLException("the database system is starting up", "57P03"))).isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLException("cannot execute INSERT in a read-only transaction", "25006"))).isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLException("too many clients", "53300"))).isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLTransientConnectionException("pool timed out"))).isTrue();
        assertThat(DatabaseOutage.causedBy(new ConnectException("Connection refused"))).isTrue();
        // wrapped, as Spring's translation and the batch's futures wrap them
        assertThat(DatabaseOutage.causedBy(new RuntimeException(new IllegalStateException(new SQLException("x", "08003"))))).isTrue();
    }

    @Test
    void ourOwnFaultsAreNot() {
        assertThat(DatabaseOutage.causedBy(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(DatabaseOutage.causedBy(new SQLException("check violation", "23514"))).isFalse();
        assertThat(DatabaseOutage.causedBy(new SQLException("no state"))).isFalse();
        assertThat(DatabaseOutage.causedBy(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseOutage.causedBy(null)).isFalse();
    }
}
