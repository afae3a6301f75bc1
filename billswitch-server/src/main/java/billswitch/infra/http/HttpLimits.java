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
 * @param maxConnectionsPerAddress open connections from one client address (an IPv6 address counted by its /64); the
 *                                 next is closed at once (0: no limit)
 * @param maxBodyReaders           request threads reading a request body at once; the next request with a body is
 *                                 answered BUSY (null or 0: half of server.jetty.threads.max)
 */
@ConfigurationProperties(prefix = "billswitch.http")
record HttpLimits(Duration headerTimeout, Duration bodyIdleTimeout, Duration bodyTimeout, long minRequestDataRate,
                  int maxConnectionsPerAddress, Integer maxBodyReaders) {
    HttpLimits {
        for (var d : new Duration[] {headerTimeout, bodyIdleTimeout, bodyTimeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("billswitch.http.header-timeout, .body-idle-timeout and .body-timeout must be"
                        + " positive durations, not " + d);
            }
        }
        if (minRequestDataRate < 0 || maxConnectionsPerAddress < 0 || (maxBodyReaders != null && maxBodyReaders < 0)) {
            throw new IllegalArgumentException("billswitch.http.min-request-data-rate, .max-connections-per-address and"
                    + " .max-body-readers must not be negative");
        }
    }
}
