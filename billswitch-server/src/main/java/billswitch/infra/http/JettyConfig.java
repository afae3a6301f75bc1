package billswitch.infra.http;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Jetty tuned for many partners' connections at once. Jetty keeps, per connection, a cache of the header fields it has seen (a ~30 KB trie once a connection
 * sends its second request). With 10,000 partners' connections open that alone is ~300 MB of heap, which
 * ran a 512 MB server out of memory (a heap histogram found 403 MB of these tries); with the cache off the
 * heap peaked at 241-326 MB. Parsing headers afresh costs little.
 */
@Configuration(proxyBeanMethods = false)
class JettyConfig {
    /**
     * Connections the kernel may hold before Jetty accepts them (capped by net.core.somaxconn). Java's default
     * of 50 overflowed when thousands of clients connected at once, and some saw their connection closed
     * without an answer.
     */
    static final int ACCEPT_QUEUE = 4096;

    @Bean
    WebServerFactoryCustomizer<JettyServletWebServerFactory> noPerConnectionHeaderCache() {
        return factory -> factory.addServerCustomizers(server -> {
            for (Connector connector : server.getConnectors()) {
                if (connector instanceof ServerConnector listening) {
                    listening.setAcceptQueueSize(ACCEPT_QUEUE);
                }
                for (ConnectionFactory f : connector.getConnectionFactories()) {
                    if (f instanceof HttpConnectionFactory http) {
                        http.getHttpConfiguration().setHeaderCacheSize(0);
                    }
                }
            }
        });
    }
}
