package org.ypsync.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * A named camel-http component configured from {@code <prefix>.*} keys of application.properties (for NetYpareo:
 * {@code netypareo.http.*}, the component {@code netypareoHttp}): connect and read timeouts, connection pool, TLS
 * trust store (verification always on; without a trust store, the JVM's own) and an optional proxy. Redirects are
 * never followed and the client never retries by itself: the routes' error handling owns the retries.
 */
public final class HttpComponents {
    private HttpComponents() {
    }

    public static HttpComponent create(CamelContext context, Settings settings, String prefix) {
        HttpComponent http = new HttpComponent();
        long connect = settings.millis(prefix + ".connect-timeout-ms").toMillis();
        long read = settings.millis(prefix + ".read-timeout-ms").toMillis();
        int pool = settings.integer(prefix + ".pool-size");
        // one pool for every endpoint of the component (camel-http otherwise gives each endpoint, here each
        // NetYpareo path, a pool and a TLS set-up of its own); the socket timeout bounds each read, a stall mid-body
        PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(pool)
                .setMaxConnPerRoute(pool)
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(Timeout.ofMilliseconds(read)).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofMilliseconds(connect))
                        .setSocketTimeout(Timeout.ofMilliseconds(read)).build());
        settings.optional(prefix + ".trust-store").ifPresent(path -> {
            KeyStoreParameters store = new KeyStoreParameters();
            store.setResource(path);
            settings.optional(prefix + ".trust-store-password").ifPresent(password -> {
                Secrets.register(password);
                store.setPassword(password);
            });
            store.setType(settings.optional(prefix + ".trust-store-type").orElse("PKCS12"));
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setKeyStore(store);
            SSLContextParameters tls = new SSLContextParameters();
            tls.setTrustManagers(trust);
            try {
                // the default strategy verifies the host name too
                connections.setTlsSocketStrategy(new DefaultClientTlsStrategy(tls.createSSLContext(context)));
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the trust store of " + prefix + ".trust-store: " + path
                        + " (" + e.getMessage() + ")", e);
            }
        });
        http.setClientConnectionManager(connections.build());
        http.setConnectTimeout(connect);
        // response timeout: waiting for the response headers
        http.setResponseTimeout(read);
        http.setSoTimeout(read);
        http.setMaxTotalConnections(pool);
        http.setConnectionsPerRoute(pool);
        http.setFollowRedirects(false);
        http.setRedirectHandlingDisabled(true);
        http.setAutomaticRetriesDisabled(true);
        http.setCookieManagementDisabled(true);
        http.setUserAgent("ypsync");
        settings.optional(prefix + ".proxy-host").ifPresent(host -> {
            http.setProxyHost(host);
            http.setProxyPort(settings.integer(prefix + ".proxy-port"));
        });
        return http;
    }
}
