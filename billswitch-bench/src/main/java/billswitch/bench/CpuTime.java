package billswitch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time used by the three processes a scenario runs (the server, PostgreSQL, this load generator) and by
 * the whole machine, read from Linux's /proc (user + system time, in clock ticks of 10 ms). Divided by the
 * payments made, it says which process a payment's time goes to, and the machine's busy share says whether
 * the run was bound by the CPU or by waiting. The share of the machine's time its hypervisor gave to other
 * guests (steal) says whether the host, rather than a change, made a run slow: on a 2-vCPU benchmark host
 * pgbench's tpcb-like fell from 3,600-3,750 to 1,990-2,530 tps within the hour while steal rose from
 * 0.1-0.3% to 15-31%. Elsewhere than on Linux every figure is absent.
 * <p>
 * A scenario that pays through an upstream BillSwitch also reads that upstream's process and its embedded
 * PostgreSQL ({@link #withUpstream}): reported apart from the three, since a real upstream runs on its own host,
 * though here it takes its CPU from the same cores.
 */
final class CpuTime {
    private static final double MS_PER_TICK = 10;
    private static final Path PROC = Path.of("/proc");

    /**
     * Cumulative ticks per process group, the machine's busy, stolen and total ticks, and the upstream's (null when
     * none is read).
     */
    record Sample(long server, long postgres, long loadGenerator, long machineBusy, long machineSteal, long machineTotal,
                  UpstreamTicks upstream) {
        Sample(long server, long postgres, long loadGenerator, long machineBusy, long machineSteal, long machineTotal) {
            this(server, postgres, loadGenerator, machineBusy, machineSteal, machineTotal, null);
        }
    }

    /** Cumulative ticks of an upstream BillSwitch's process and of its PostgreSQL. */
    record UpstreamTicks(long server, long postgres) {
    }

    /** The machine's ticks from the first line of /proc/stat: busy (all but idle, iowait and steal), stolen, all. */
    record MachineTicks(long busy, long steal, long total) {
        static final MachineTicks NONE = new MachineTicks(0, 0, 0);

        /** Fields after "cpu": user nice system idle iowait irq softirq steal (guest time is inside user). */
        static MachineTicks parse(String cpuLine) {
            String[] f = cpuLine.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            return new MachineTicks(total - Long.parseLong(f[4]) - Long.parseLong(f[5]) - steal, steal, total);
        }
    }

    private final long serverPid;
    private final long postmasterPid;
    /** The upstream's process and its postmaster; 0 when there is none. */
    private final long upstreamPid;
    private final long upstreamPostmasterPid;

    private CpuTime(long serverPid, long postmasterPid, long upstreamPid, long upstreamPostmasterPid) {
        this.serverPid = serverPid;
        this.postmasterPid = postmasterPid;
        this.upstreamPid = upstreamPid;
        this.upstreamPostmasterPid = upstreamPostmasterPid;
    }

    /** For a server process and the postmaster of the PostgreSQL data directory {@code pgData}; null off Linux. */
    static CpuTime of(long serverPid, Path pgData) {
        long postmaster = postmaster(pgData);
        return postmaster > 0 && Files.isDirectory(PROC) ? new CpuTime(serverPid, postmaster, 0, 0) : null;
    }

    /**
     * These processes and an upstream BillSwitch's: its process and the postmaster of its PostgreSQL data
     * directory {@code pgData}. Without the upstream when its postmaster.pid cannot be read.
     */
    CpuTime withUpstream(long pid, Path pgData) {
        long postmaster = postmaster(pgData);
        return postmaster > 0 ? new CpuTime(serverPid, postmasterPid, pid, postmaster) : this;
    }

    /** The first line of postmaster.pid in a data directory; 0 when it cannot be read. */
    private static long postmaster(Path pgData) {
        try {
            return Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).getFirst().trim());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    Sample sample() {
        long postgres = 0;
        long upstreamPostgres = 0;
        try (Stream<Path> entries = Files.list(PROC)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                long[] stat = stat(p.resolve("stat"));
                if (stat == null) {
                    continue;
                }
                postgres += postgresTicks(stat, postmasterPid);
                upstreamPostgres += upstreamPostmasterPid == 0 ? 0 : postgresTicks(stat, upstreamPostmasterPid);
            }
        } catch (IOException e) {
            // a listing that failed counts nothing
        }
        MachineTicks machine = machine();
        return new Sample(ticks(serverPid), postgres, ticks(ProcessHandle.current().pid()), machine.busy(),
                machine.steal(), machine.total(),
                upstreamPid == 0 ? null : new UpstreamTicks(ticks(upstreamPid), upstreamPostgres));
    }

    /** A process's ticks if it is the postmaster (with its exited backends) or one of its backends, else 0. */
    private static long postgresTicks(long[] stat, long postmaster) {
        if (stat[0] == postmaster) {
            return stat[2] + stat[3];
        }
        return stat[1] == postmaster ? stat[2] : 0;
    }

    /**
     * Milliseconds of CPU per payment between two samples, by process, how busy the machine was and how much
     * of its time the hypervisor took (both 0-1). With an upstream, also its process's and its PostgreSQL's,
     * their sum ({@code upstreamTotal}), and everything together ({@code totalWithUpstream}); {@code total}
     * stays the three processes of every scenario.
     */
    static Map<String, Double> perPayment(Sample before, Sample after, long payments) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (payments <= 0) {
            return m;
        }
        double server = (after.server() - before.server()) * MS_PER_TICK / payments;
        double postgres = (after.postgres() - before.postgres()) * MS_PER_TICK / payments;
        double loadGenerator = (after.loadGenerator() - before.loadGenerator()) * MS_PER_TICK / payments;
        m.put("server", round(server));
        m.put("postgres", round(postgres));
        m.put("loadGenerator", round(loadGenerator));
        m.put("total", round(server + postgres + loadGenerator));
        if (before.upstream() != null && after.upstream() != null) {
            double upstreamServer = (after.upstream().server() - before.upstream().server()) * MS_PER_TICK / payments;
            double upstreamPostgres = (after.upstream().postgres() - before.upstream().postgres()) * MS_PER_TICK / payments;
            m.put("upstreamServer", round(upstreamServer));
            m.put("upstreamPostgres", round(upstreamPostgres));
            m.put("upstreamTotal", round(upstreamServer + upstreamPostgres));
            m.put("totalWithUpstream", round(server + postgres + loadGenerator + upstreamServer + upstreamPostgres));
        }
        long total = after.machineTotal() - before.machineTotal();
        m.put("machineBusy", share(after.machineBusy() - before.machineBusy(), total));
        m.put("machineSteal", share(after.machineSteal() - before.machineSteal(), total));
        return m;
    }

    /** part / total, rounded; null when no ticks passed (or /proc/stat could not be read). */
    private static Double share(long part, long total) {
        return total <= 0 ? null : round((double) part / total);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static long ticks(long pid) {
        long[] stat = stat(PROC.resolve(Long.toString(pid)).resolve("stat"));
        return stat == null ? 0 : stat[2];
    }

    /**
     * pid, parent pid, utime + stime, and cutime + cstime (its children that have exited, such as PostgreSQL
     * backends of closed connections) of a /proc/PID/stat file; null if the process is gone.
     */
    private static long[] stat(Path file) {
        try {
            String s = Files.readString(file);
            // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            long pid = Long.parseLong(s.substring(0, s.indexOf(' ')));
            return new long[] {pid, Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12]),
                    Long.parseLong(f[13]) + Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static MachineTicks machine() {
        try {
            return MachineTicks.parse(Files.readAllLines(PROC.resolve("stat")).getFirst());
        } catch (IOException | RuntimeException e) {
            return MachineTicks.NONE;
        }
    }
}
