package billswitch.routing;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Operators' routes in PostgreSQL. */
@Repository
class RouteTable {
    private final JdbcClient jdbc;

    RouteTable(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Route> all() {
        return jdbc.sql("""
                select operator_id, connector, upstream_code, priority, weight, cost_minor, commission_bps from routes
                order by operator_id, priority, cost_minor nulls last, connector""")
                .query((rs, n) -> new Route(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                        (Long) rs.getObject(6), rs.getInt(7)))
                .list();
    }

    List<Route> of(String operatorId) {
        return all().stream().filter(r -> r.operatorId().equals(operatorId)).toList();
    }

    /** Replaces an operator's routes. In a transaction. */
    void replace(String operatorId, List<Route> routes) {
        jdbc.sql("delete from routes where operator_id = :operator").param("operator", operatorId).update();
        for (Route r : routes) {
            jdbc.sql("""
                    insert into routes (operator_id, connector, upstream_code, priority, weight, cost_minor, commission_bps)
                    values (:operator, :connector, :code, :priority, :weight, :cost, :commissionBps)""")
                    .param("operator", operatorId).param("connector", r.connector()).param("code", r.upstreamCode())
                    .param("priority", r.priority()).param("weight", r.weight()).param("cost", r.costMinor())
                    .param("commissionBps", r.commissionBps())
                    .update();
        }
    }
}
