package billswitch.routing;

import billswitch.connector.http.HttpConnector;
import billswitch.shared.Secret;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** A connector as configured through the admin API; its credentials never leave this record unmasked. */
record ConnectorConfig(String name, String type, URI baseUrl, Secret<Map<String, String>> credentials,
                       int connectTimeoutMs, int readTimeoutMs, int maxInFlight, boolean enabled, Instant updatedAt) {

    HttpConnector.Settings settings() {
        return new HttpConnector.Settings(name, baseUrl, Duration.ofMillis(connectTimeoutMs),
                Duration.ofMillis(readTimeoutMs), maxInFlight);
    }
}
