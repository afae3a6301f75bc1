package billswitch.infra.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import billswitch.support.IntegrationTest;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Statements sent together: each one's rows, in order; a failure that stops the rest and the transaction;
 * the COMMIT sent with them.
 */
class PipelineTest extends IntegrationTest {
    @Autowired
    JdbcTemplate template;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    DataSource dataSource;

    @BeforeEach
    void emptyProbeTable() {
        jdbc.sql("create table if not exists pipeline_probe (id int primary key)").update();
        jdbc.sql("delete from pipeline_probe").update();
    }

    @AfterEach
    void dropProbeTable() {
        jdbc.sql("drop table if exists pipeline_probe").update();
    }

    /** Adds an insert of one probe row, returning its id. */
    private static Pipeline.Rows<Integer> insert(Pipeline pipeline, int id) {
        return pipeline.add("insert into pipeline_probe values (:id) returning id", new MapSqlParameterSource("id", id),
                (rs, i) -> rs.getInt(1));
    }

    private List<Integer> probeRows() {
        return jdbc.sql("select id from pipeline_probe order by id").query(Integer.class).list();
    }

    @Test
    void eachStatementGetsItsOwnRowsAndParametersOfTheSameNameStayApart() {
        tx.executeWithoutResult(s -> eachStatementGetsItsOwnRows(Pipeline.ofTransaction(template)));
    }

    private static void eachStatementGetsItsOwnRows(Pipeline pipeline) {
        Pipeline.Rows<Long> first = pipeline.add("select g from generate_series(1, :n) g",
                new MapSqlParameterSource("n", 3), (rs, i) -> rs.getLong(1));
        Pipeline.Rows<String> second = pipeline.add("select :n::text || '-' || :label",
                new MapSqlParameterSource("n", 7).addValue("label", "x"), (rs, i) -> rs.getString(1));
        Pipeline.Rows<Long> empty = pipeline.add("select 1 where false", new MapSqlParameterSource(), (rs, i) -> 1L);
        assertThatThrownBy(first::list).isInstanceOf(IllegalStateException.class);

        pipeline.run();

        assertThat(first.list()).containsExactly(1L, 2L, 3L);
        assertThat(second.list()).containsExactly("7-x");
        assertThat(empty.list()).isEmpty();
        // Run, the pipeline is empty again: the next round trip sends only what is added after.
        Pipeline.Rows<Long> next = pipeline.add("select 42", new MapSqlParameterSource(), (rs, i) -> rs.getLong(1));
        pipeline.run();
        assertThat(next.list()).containsExactly(42L);
    }

    @Test
    void aTransactionHasOnePipelineAndANewTransactionANewOne() {
        List<Pipeline> seen = new ArrayList<>();
        tx.executeWithoutResult(s -> {
            seen.add(Pipeline.ofTransaction(template));
            seen.add(Pipeline.ofTransaction(template));
        });
        tx.executeWithoutResult(s -> seen.add(Pipeline.ofTransaction(template)));
        assertThat(seen.get(0)).isSameAs(seen.get(1));
        assertThat(seen.get(2)).isNotSameAs(seen.get(0));
        assertThatThrownBy(() -> Pipeline.ofTransaction(template)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("none is active");
    }

    @Test
    void aFailingStatementSkipsTheRestAndTheTransactionWritesNothing() {
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
            Pipeline pipeline = Pipeline.ofTransaction(template);
            insert(pipeline, 1);
            pipeline.add("select 1 / :zero", new MapSqlParameterSource("zero", 0), (rs, i) -> 1);
            insert(pipeline, 2);
            pipeline.run();
        })).isInstanceOf(DataAccessException.class).hasMessageContaining("division by zero");

        assertThat(probeRows()).isEmpty();
        // Without the failing statement, the same pipeline writes both rows.
        tx.executeWithoutResult(s -> {
            Pipeline pipeline = Pipeline.ofTransaction(template);
            insert(pipeline, 1);
            insert(pipeline, 2);
            pipeline.run();
        });
        assertThat(probeRows()).isEqualTo(List.of(1, 2));
    }

    @Test
    void runAndCommitEndsTheTransactionWithTheStatementsAndTheTransactionManagerStillEndsCleanly() throws Exception {
        // One physical connection, so that its state after the transaction can be checked.
        try (Connection raw = dataSource.getConnection()) {
            SingleConnectionDataSource single = new SingleConnectionDataSource(raw, true);
            JdbcTemplate onRaw = new JdbcTemplate(single);
            TransactionTemplate txOnRaw = new TransactionTemplate(new DataSourceTransactionManager(single));
            List<Integer> seenMeanwhile = new ArrayList<>();
            txOnRaw.executeWithoutResult(s -> {
                Pipeline pipeline = Pipeline.ofTransaction(onRaw);
                Pipeline.Rows<Integer> rows = insert(pipeline, 7);
                pipeline.runAndCommit();
                assertThat(rows.list()).containsExactly(7);
                // Still inside the callback, and already visible to other connections: committed.
                seenMeanwhile.addAll(probeRows());
            });
            assertThat(seenMeanwhile).containsExactly(7);
            // The transaction manager's own commit afterwards neither failed nor left the connection in a
            // transaction: it is back in autocommit, and a new transaction on it works.
            assertThat(raw.getAutoCommit()).isTrue();
            txOnRaw.executeWithoutResult(s -> onRaw.update("insert into pipeline_probe values (8)"));
            assertThat(probeRows()).containsExactly(7, 8);
        }
    }

    @Test
    void aStatementFailingBeforeTheCommitCommitsNothing() {
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
            Pipeline pipeline = Pipeline.ofTransaction(template);
            insert(pipeline, 1);
            insert(pipeline, 1);   // the same key again: fails, and the COMMIT after it is skipped
            pipeline.runAndCommit();
        })).isInstanceOf(DataAccessException.class);
        assertThat(probeRows()).isEmpty();
    }

    @Test
    void aStatementThatReturnsNoRowSetIsRefused() {
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
            Pipeline pipeline = Pipeline.ofTransaction(template);
            pipeline.add("select 1", new MapSqlParameterSource(), (rs, i) -> 1);
            pipeline.add("create temporary table pipeline_no_rows (id int)", new MapSqlParameterSource(), (rs, i) -> 1);
            pipeline.run();
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("returned no rows");
    }
}
