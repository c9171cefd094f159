package org.ypsync.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ypsync.moodle.JdkHttpTransport;
import org.ypsync.moodle.MoodleSettings;
import org.ypsync.netypareo.NetypareoRoute;
import org.ypsync.netypareo.NetypareoException;
import org.ypsync.netypareo.NetypareoInstance;

/**
 * TLS certificates are verified: both clients refuse a self-signed HTTPS server on loopback before sending
 * anything (the token never leaves), and no trust-all code exists anywhere in the sources.
 */
class TlsVerificationTest {
    private static HttpsServer server;
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static Path certificate;

    @BeforeAll
    static void selfSignedServer(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("self-signed.p12");
        certificate = store;
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "loopback", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            REQUESTS.incrementAndGet();
            byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static String base() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Test
    void netypareoRefusesASelfSignedCertificate() throws Exception {
        // through ypsync's route and its netypareoHttp component, as configured from netypareo.http.*
        try (NetypareoRoute client = NetypareoRoute.start(5000, 5000)) {
            NetypareoInstance instance = new NetypareoInstance(0, "tls", "TLS test", base() + "netypareo/",
                    "tls-test-token-0123456789");
            NetypareoException e = assertThrows(NetypareoException.class, () -> client.readAll(instance, "sites"));
            assertTrue(e.getCause() instanceof SSLHandshakeException, String.valueOf(e.getCause()));
            assertEquals(0, REQUESTS.get(), "no request (and no token) reached the server");
        }
    }

    /** A private CA's server is reached once its certificate is in netypareo.http.trust-store. */
    @Test
    void netypareoTrustsTheConfiguredTrustStore() throws Exception {
        try (NetypareoRoute client = NetypareoRoute.start(5000, 5000, Map.of(
                "netypareo.http.trust-store", "file:" + certificate, "netypareo.http.trust-store-password", "changeit",
                "netypareo.http.trust-store-type", "PKCS12"))) {
            NetypareoInstance instance = new NetypareoInstance(0, "tls", "TLS test", base() + "netypareo/",
                    "tls-test-token-0123456789");
            assertEquals(List.of(), client.readAll(instance, "sites"));
            assertEquals(1, REQUESTS.getAndSet(0), "one request, over verified TLS");
        }
    }

    @Test
    void moodleRefusesASelfSignedCertificate() {
        JdkHttpTransport transport = new JdkHttpTransport(MoodleSettings.fromConfig(Map.of("url", base() + "moodle",
                "token", "tls-test-moodle-token-0123456789", "connect-timeout-ms", "5000")));
        assertThrows(SSLHandshakeException.class, () -> transport.post("wstoken=tls-test-moodle-token-0123456789"
                + "&wsfunction=core_webservice_get_site_info"));
        assertEquals(0, REQUESTS.get(), "no request (and no token) reached the server");
    }

    @Test
    void noSourceTurnsCertificateOrHostnameVerificationOff() throws IOException {
        List<String> offenders = new ArrayList<>();
        List<String> patterns = List.of("X509TrustManager", "TrustAllStrategy", "TrustSelfSignedStrategy",
                "NoopHostnameVerifier", "ALLOW_ALL_HOSTNAME_VERIFIER", "setHostnameVerifier(",
                "disableHostnameVerification", "InsecureTrustManagerFactory", "trustAll", "checkServerTrusted");
        try (Stream<Path> files = Files.walk(Path.of("src", "main"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                patterns.stream().filter(text::contains).forEach(p -> offenders.add(f + ": " + p));
            }
        }
        String config = Files.readString(Path.of("application.properties"), StandardCharsets.UTF_8);
        assertFalse(config.toLowerCase().contains("trust-all") || config.contains("disableHostnameVerification"));
        assertEquals(List.of(), offenders);
    }
}
