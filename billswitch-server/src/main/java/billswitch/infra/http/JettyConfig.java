package billswitch.infra.http;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Jetty tuned for many partners' connections at once, and hardened against slow clients.
 *
 * <p>Jetty keeps, per connection, a cache of the header fields it has seen (a ~30 KB trie once a connection
 * sends its second request). With 10,000 partners' connections open that alone is ~300 MB of heap, which
 * ran a 512 MB server out of memory (a heap histogram found 403 MB of these tries); with the cache off the
 * heap peaked at 241-326 MB. Parsing headers afresh costs little.
 *
 * <p>Slow clients ({@link HttpLimits}): 220 connections announcing a 64 KB body and sending a byte every 20 s held
 * every request thread, so honest requests waited up to 87 s. Now a body below the minimum data rate is refused,
 * header and body reads have deadlines ({@link ReadDeadlines}), one address may hold only so many connections
 * ({@link ConnectionsPerAddress}), and only so many threads may be reading a body at once ({@link BodyReaders}), so a
 * body sent just above the minimum rate, from many addresses, still leaves threads for everyone else.
 *
 * <p>The admin API may listen on a connector of its own ({@link AdminConnector}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({HttpLimits.class, TrustedProxies.class, AdminConnector.class})
class JettyConfig {
    /**
     * Connections the kernel may hold before Jetty accepts them (capped by net.core.somaxconn). Java's default
     * of 50 overflowed when thousands of clients connected at once, and some saw their connection closed
     * without an answer.
     */
    static final int ACCEPT_QUEUE = 4096;

    @Bean
    WebServerFactoryCustomizer<JettyServletWebServerFactory> hardenedConnectors(HttpLimits limits, TrustedProxies proxies,
                                                                                 AdminConnector admin, Environment env) {
        ReadDeadlines deadlines = new ReadDeadlines(limits.headerTimeout().toMillis(), limits.bodyIdleTimeout().toMillis(),
                limits.bodyTimeout().toMillis());
        ConnectionsPerAddress perAddress = limits.maxConnectionsPerAddress() == 0 ? null
                : new ConnectionsPerAddress(limits.maxConnectionsPerAddress(), proxies.blocks());
        int threads = env.getProperty("server.jetty.threads.max", Integer.class, 200);
        BodyReaders readers = new BodyReaders(limits.maxBodyReaders() != null && limits.maxBodyReaders() > 0
                ? limits.maxBodyReaders() : Math.max(1, threads / 2));
        return factory -> {
            factory.addInitializers(context -> context.setAttribute(BodyReaders.ATTRIBUTE, readers));
            customizeServer(factory, admin, limits, deadlines, perAddress);
        };
    }

    private static void customizeServer(JettyServletWebServerFactory factory, AdminConnector admin, HttpLimits limits,
                                        ReadDeadlines deadlines, ConnectionsPerAddress perAddress) {
        factory.addServerCustomizers(server -> {
            Connector[] partners = server.getConnectors();
            if (admin.separate() && partners.length > 0 && partners[0] instanceof ServerConnector first) {
                if (first.getPort() == admin.getPort() && admin.getPort() != 0) {
                    throw new IllegalStateException("billswitch.admin.port (" + admin.getPort() + ") is the partners' port"
                            + " (server.port): give the admin API another port, or leave billswitch.admin.port empty to"
                            + " serve it on the partners' port.");
                }
                HttpConnectionFactory http = first.getConnectionFactory(HttpConnectionFactory.class);
                ServerConnector adminConnector = new ServerConnector(server, new HttpConnectionFactory(http.getHttpConfiguration()));
                adminConnector.setName("admin");
                adminConnector.setHost(admin.getAddress());
                adminConnector.setPort(admin.getPort());
                adminConnector.setIdleTimeout(first.getIdleTimeout());
                server.addConnector(adminConnector);
                admin.listening(adminConnector);
            }
            List<HttpConfiguration> configured = new ArrayList<>();
            for (Connector connector : server.getConnectors()) {
                if (connector instanceof ServerConnector listening) {
                    listening.setAcceptQueueSize(ACCEPT_QUEUE);
                    listening.addBean(deadlines);
                    if (perAddress != null) {
                        listening.addBean(perAddress);
                    }
                }
                for (ConnectionFactory f : connector.getConnectionFactories()) {
                    if (f instanceof HttpConnectionFactory http && !configured.contains(http.getHttpConfiguration())) {
                        HttpConfiguration config = http.getHttpConfiguration();
                        configured.add(config);
                        config.setHeaderCacheSize(0);
                        config.setMinRequestDataRate(limits.minRequestDataRate());
                        config.addCustomizer(deadlines);
                    }
                }
            }
        });
    }
}
