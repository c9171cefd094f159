package org.ypsync.ops;

import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.ypsync.stage.Settings;

/**
 * A named camel-http component configured from {@code <prefix>.*} keys of application.properties (for NetYpareo:
 * {@code netypareo.http.*}, the component {@code netypareoHttp}): connect and read timeouts, connection pool, TLS
 * trust store (verification always on; without a trust store, the JVM's own) and an optional proxy. Redirects are
 * never followed and the client never retries by itself: the routes' error handling owns the retries.
 */
public final class HttpComponents {
    private HttpComponents() {
    }

    public static HttpComponent create(Settings settings, String prefix) {
        HttpComponent http = new HttpComponent();
        long connect = settings.millis(prefix + ".connect-timeout-ms").toMillis();
        long read = settings.millis(prefix + ".read-timeout-ms").toMillis();
        http.setConnectTimeout(connect);
        // response timeout: waiting for the headers; socket timeout: each read of the body (a stall mid-body)
        http.setResponseTimeout(read);
        http.setSoTimeout(read);
        int pool = settings.integer(prefix + ".pool-size");
        http.setMaxTotalConnections(pool);
        http.setConnectionsPerRoute(pool);
        http.setFollowRedirects(false);
        http.setRedirectHandlingDisabled(true);
        http.setAutomaticRetriesDisabled(true);
        http.setCookieManagementDisabled(true);
        http.setUserAgent("ypsync");
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
            http.setSslContextParameters(tls);
        });
        settings.optional(prefix + ".proxy-host").ifPresent(host -> {
            http.setProxyHost(host);
            http.setProxyPort(settings.integer(prefix + ".proxy-port"));
        });
        return http;
    }
}
