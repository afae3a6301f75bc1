package billswitch.infra.http;

import billswitch.shared.IpBlock;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.List;

/**
 * Runs first: a request whose direct peer is a trusted proxy gets its client address from X-Forwarded-For
 * ({@link TrustedProxies#client}), so that allow-lists, logs and rate limits see the client, not the proxy. From any
 * other peer the header is ignored: request.getRemoteAddr() stays the peer's address.
 */
final class ForwardedClientFilter implements Filter {
    private final List<IpBlock> proxies;

    ForwardedClientFilter(List<IpBlock> proxies) {
        this.proxies = proxies;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String peer = http.getRemoteAddr();
        if (!TrustedProxies.trusted(proxies, peer)) {
            chain.doFilter(request, response);
            return;
        }
        String client = TrustedProxies.client(proxies, peer, http.getHeaders("X-Forwarded-For"));
        chain.doFilter(client.equals(peer) ? request : new Forwarded(http, client), response);
    }

    private static final class Forwarded extends HttpServletRequestWrapper {
        private final String client;

        Forwarded(HttpServletRequest request, String client) {
            super(request);
            this.client = client;
        }

        @Override
        public String getRemoteAddr() {
            return client;
        }

        @Override
        public String getRemoteHost() {
            return client;
        }
    }
}
