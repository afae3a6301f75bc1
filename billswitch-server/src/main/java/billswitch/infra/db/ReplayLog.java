package billswitch.infra.db;

import billswitch.infra.config.BillSwitchProperties;
import billswitch.shared.BillSwitchException;
import billswitch.shared.ErrorCode;
import billswitch.shared.ReplayMark;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The signed requests every node has received, in PostgreSQL (table replay_signatures), for as long as their
 * timestamps pass the check. {@link #record} answers whether a signature is new; concurrent requests' signatures
 * are written together (group commit): one worker thread takes whatever is waiting into one
 * {@code insert ... select from unnest(arrays) on conflict do nothing returning}, so a busy node makes one round
 * trip per batch, not per request. The inserts go through a pool of their own (two connections), so a payment
 * path holding every connection of the main pool does not hold up the check; its connections commit with
 * {@code synchronous_commit = off}: a record lost in a crash is one whose request had no durable effect either
 * (docs/ARCHITECTURE.md, "Replay memory"). A record that cannot be written (database down, disk full, queue full)
 * fails its future: the caller refuses the request.
 * <p>
 * A record is keyed by the request's own signed timestamp (sent_at) and 128 bits of a digest: the same signature
 * always has the same timestamp, so the key finds it, and {@link #forgetExpired} deletes by the key's leading
 * column.
 */
@Component
public class ReplayLog implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ReplayLog.class);
    /** At most this many signatures wait for the worker; past it a request is refused (BUSY) at once. */
    static final int QUEUE_LIMIT = 50_000;
    private static final int MAX_BATCH = 2_000;
    /** How long a request waits for its signature to be recorded before it is refused as BUSY. */
    static final long WAIT_MILLIS = 2_000;
    /** Past the tolerance, how long a record is kept for nodes whose clocks run behind this one's. */
    private static final long CLOCK_MARGIN_MILLIS = 60_000;
    private static final String INSERT = """
            insert into replay_signatures (sent_at, digest_hi, digest_lo)
            select * from unnest(?::bigint[], ?::bigint[], ?::bigint[])
            on conflict do nothing
            returning sent_at, digest_hi, digest_lo""";

    private record Job(ReplayMark entry, CompletableFuture<Boolean> done) {
    }

    private final DataSource pool;
    private final boolean ownPool;
    private final Clock clock;
    private final long retentionMillis;
    private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(QUEUE_LIMIT);
    private static final int KNOWN_REPLAYS_MAX = 10_000;
    private final Set<ReplayMark> knownReplays = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread worker;
    private volatile boolean closed;
    private volatile boolean failing;
    /** The worker thread's own connection and insert statement; null until first used and after a failure. */
    private Connection connection;
    private PreparedStatement insert;

    ReplayLog(DataSource main, Clock clock, BillSwitchProperties props) {
        this.clock = clock;
        this.retentionMillis = props.api().timestampTolerance().toMillis() + CLOCK_MARGIN_MILLIS;
        HikariDataSource hikari = generalPool(main);
        if (hikari != null && hikari.getJdbcUrl() != null) {
            this.pool = replayPool(hikari);
            this.ownPool = true;
        } else {
            this.pool = main;
            this.ownPool = false;
        }
        this.worker = Thread.ofPlatform().daemon().name("replay-log").start(this::work);
    }

    /** The Hikari pool behind the application's DataSource (the general one of DatabaseConfig's pools), if any. */
    private static HikariDataSource generalPool(DataSource main) {
        try {
            return main.isWrapperFor(HikariDataSource.class) ? main.unwrap(HikariDataSource.class) : null;
        } catch (java.sql.SQLException e) {
            return null;
        }
    }

    /** The main pool's database and settings, two connections, each committing without waiting for the WAL flush. */
    private static DataSource replayPool(HikariDataSource main) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(main.getJdbcUrl());
        config.setUsername(main.getUsername());
        config.setPassword(main.getPassword());
        config.setDataSourceProperties(main.getDataSourceProperties());
        config.setConnectionInitSql("set synchronous_commit to off");
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(2_000);
        config.setInitializationFailTimeout(-1); // a database down at start fails requests, not the start
        config.setPoolName("billswitch-replay");
        return new HikariDataSource(config);
    }

    /**
     * Records a signature; the future answers true if no node recorded it before, false if one did, and fails if
     * it could not be recorded (the caller must then refuse the request).
     */
    public CompletableFuture<Boolean> record(ReplayMark entry) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IllegalStateException("the replay log is shut down"));
        } else if (!queue.offer(new Job(entry, done))) {
            done.completeExceptionally(new IllegalStateException(QUEUE_LIMIT + " signatures wait to be recorded"));
        }
        return done;
    }

    /**
     * True if no node recorded this mark before (and it is recorded now), false for a replay. Throws BUSY when it
     * cannot be recorded within {@link #WAIT_MILLIS}: the caller refuses the request, nothing done.
     */
    public boolean firstUse(ReplayMark mark) {
        try {
            return record(mark).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unrecorded(e);
        } catch (ExecutionException | TimeoutException e) {
            throw unrecorded(e);
        }
    }

    private static BillSwitchException unrecorded(Exception e) {
        log.debug("A signed request was refused: its signature could not be recorded ({})", e.toString());
        return new BillSwitchException(ErrorCode.BUSY,
                "BillSwitch cannot record signed requests right now; nothing was done. Sign the request again and retry.");
    }

    /**
     * Adds the marks of a payment batch to its transaction's pipeline (no round trip of its own), in key order so
     * that two batches inserting the same marks, on any nodes, lock them in the same order and cannot deadlock; a
     * mark recorded before is skipped ({@code on conflict do nothing}), and the rows answer the marks recorded now:
     * a payment whose mark is not among them is a replay, refused alone while the rest of its batch goes on. In
     * the batch's transaction, committed with it (synchronous_commit on).
     */
    public static Pipeline.Rows<ReplayMark> recordInBatch(Pipeline pipeline, List<ReplayMark> marks) {
        List<ReplayMark> sorted = marks.stream().sorted(KEY_ORDER).toList();
        Object[] sentAt = new Object[sorted.size()];
        Object[] hi = new Object[sorted.size()];
        Object[] lo = new Object[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            sentAt[i] = sorted.get(i).sentAt();
            hi[i] = sorted.get(i).hi();
            lo[i] = sorted.get(i).lo();
        }
        return pipeline.add("""
                insert into replay_signatures (sent_at, digest_hi, digest_lo)
                select m.sent_at, m.hi, m.lo from unnest(:sentAt, :hi, :lo) with ordinality as m(sent_at, hi, lo, n) order by m.n
                on conflict do nothing
                returning sent_at, digest_hi, digest_lo""",
                new org.springframework.jdbc.core.namedparam.MapSqlParameterSource()
                        .addValue("sentAt", SqlArrays.bigint(sentAt)).addValue("hi", SqlArrays.bigint(hi))
                        .addValue("lo", SqlArrays.bigint(lo)),
                (rs, n) -> new ReplayMark(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
    }

    /** The order of the table's primary key (sent_at, digest_hi, digest_lo). */
    private static final java.util.Comparator<ReplayMark> KEY_ORDER = java.util.Comparator.comparingLong(ReplayMark::sentAt)
            .thenComparingLong(ReplayMark::hi).thenComparingLong(ReplayMark::lo);

    /**
     * Remembers, on this node, a mark found to be a replay in a payment batch, so that more copies of it are refused
     * before they reach a batch (where each would cost its validation and a place in a batch). Bounded; emptied
     * when full.
     */
    public void rememberReplay(ReplayMark mark) {
        if (knownReplays.size() >= KNOWN_REPLAYS_MAX) {
            knownReplays.clear();
        }
        knownReplays.add(mark);
    }

    /** Whether this node found this mark to be a replay before ({@link #rememberReplay}). */
    public boolean isKnownReplay(ReplayMark mark) {
        return !knownReplays.isEmpty() && knownReplays.contains(mark);
    }

    private void work() {
        List<Job> jobs = new ArrayList<>();
        while (!closed) {
            try {
                Job first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                jobs.add(first);
            } catch (InterruptedException e) {
                release();
                return;
            }
            queue.drainTo(jobs, MAX_BATCH - jobs.size());
            try {
                answer(jobs, insert(jobs));
                if (failing) {
                    failing = false;
                    log.info("Replay log: signatures are recorded again");
                }
            } catch (SQLException | RuntimeException e) {
                if (!failing) {
                    failing = true;
                    log.warn("Replay log: signatures cannot be recorded ({}); signed requests are refused until they can",
                            e.toString());
                }
                jobs.forEach(job -> job.done().completeExceptionally(e));
            }
            jobs.clear();
        }
        release();
    }

    /** The entries of the batch that were not recorded before. */
    private Set<ReplayMark> insert(List<Job> jobs) throws SQLException {
        int n = jobs.size();
        Long[] sentAt = new Long[n];
        Long[] hi = new Long[n];
        Long[] lo = new Long[n];
        for (int i = 0; i < n; i++) {
            ReplayMark e = jobs.get(i).entry();
            sentAt[i] = e.sentAt();
            hi[i] = e.hi();
            lo[i] = e.lo();
        }
        Set<ReplayMark> inserted = new HashSet<>();
        try {
            PreparedStatement ps = insertStatement();
            ps.setObject(1, sentAt);
            ps.setObject(2, hi);
            ps.setObject(3, lo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(new ReplayMark(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
                }
            }
        } catch (SQLException | RuntimeException e) {
            release();
            throw e;
        }
        return inserted;
    }

    /** The worker's insert, on the connection it keeps while it works (taken again after a failure). */
    private PreparedStatement insertStatement() throws SQLException {
        if (insert == null) {
            connection = pool.getConnection();
            connection.setAutoCommit(true);
            // a database that stops answering fails the batch (its requests were refused BUSY after 2 s already)
            connection.setNetworkTimeout(Runnable::run, 10_000);
            insert = connection.prepareStatement(INSERT);
        }
        return insert;
    }

    /** Gives the worker's connection back (the pool drops it if it broke). */
    private void release() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            log.debug("Replay log: closing a failed connection: {}", e.toString());
        }
        connection = null;
        insert = null;
    }

    /** True for the first job of each entry inserted now; false for the rest (recorded before, or twice in the batch). */
    private static void answer(List<Job> jobs, Set<ReplayMark> inserted) {
        for (Job job : jobs) {
            job.done().complete(inserted.remove(job.entry()));
        }
    }

    /**
     * Deletes the records whose timestamps every node refuses by now. Each node does it; it is one range delete by
     * the primary key's leading column, and deleting what another node deleted a moment ago costs nothing.
     */
    @Scheduled(fixedDelayString = "${billswitch.api.replay-cleanup-interval:30s}", initialDelay = 5_000)
    public void forgetExpired() {
        long cutoff = clock.millis() - retentionMillis;
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from replay_signatures where sent_at < ?")) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            ps.setLong(1, cutoff);
            int n = ps.executeUpdate();
            if (n > 0) {
                log.debug("Replay log: forgot {} expired signatures", n);
            }
        } catch (SQLException e) {
            log.warn("Replay log: could not delete expired signatures ({}); will try again", e.toString());
        }
    }

    @Override
    public void destroy() throws Exception {
        closed = true;
        worker.interrupt();
        worker.join(5_000);
        Job left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new IllegalStateException("the replay log is shut down"));
        }
        if (ownPool) {
            ((HikariDataSource) pool).close();
        }
    }
}
