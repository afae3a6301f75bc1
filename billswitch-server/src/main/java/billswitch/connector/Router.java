package billswitch.connector;

import billswitch.catalog.Operator;
import billswitch.connector.spi.Connector;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/** Picks the connector an operator is routed to. */
@Service
public class Router {
    private final Map<String, Connector> connectors;

    Router(List<Connector> connectors) {
        this.connectors = connectors.stream().collect(Collectors.toUnmodifiableMap(Connector::name, Function.identity()));
    }

    public Connector connectorFor(Operator operator) {
        Connector connector = connectors.get(operator.connector());
        if (connector == null) {
            throw new IllegalStateException("operator " + operator.id() + " routes to unknown connector " + operator.connector());
        }
        return connector;
    }
}
