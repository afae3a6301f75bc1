package billswitch.infra.http;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long and how slowly a client may send a request, and how many connections one address may hold
 * (billswitch.http.*; application.yml documents each). A connection from a trusted proxy is not counted per address.
 *
 * @param headerTimeout            a new connection is closed when it sends nothing for this long before its first
 *                                 request's headers are complete
 * @param bodyIdleTimeout          a connection is closed when it sends nothing for this long while a request body is
 *                                 being read
 * @param bodyTimeout              a request body must be complete within this long of its headers
 * @param minRequestDataRate       bytes a second below which a request body is refused (408) and its connection closed
 * @param maxConnectionsPerAddress open connections from one client address; the next is closed at once (0: no limit)
 */
@ConfigurationProperties(prefix = "billswitch.http")
record HttpLimits(Duration headerTimeout, Duration bodyIdleTimeout, Duration bodyTimeout, long minRequestDataRate,
                  int maxConnectionsPerAddress) {
    HttpLimits {
        for (var d : new Duration[] {headerTimeout, bodyIdleTimeout, bodyTimeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("billswitch.http.header-timeout, .body-idle-timeout and .body-timeout must be"
                        + " positive durations, not " + d);
            }
        }
        if (minRequestDataRate < 0 || maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException("billswitch.http.min-request-data-rate and .max-connections-per-address must"
                    + " not be negative (0 turns them off)");
        }
    }
}
