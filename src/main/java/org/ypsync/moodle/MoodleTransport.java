package org.ypsync.moodle;

import java.io.IOException;

/**
 * Sends one form-encoded POST to the REST endpoint. Pluggable so that tests can count and script calls; the
 * production one is {@link JdkHttpTransport}.
 */
@FunctionalInterface
public interface MoodleTransport {

    /** The raw HTTP answer. */
    record Reply(int status, String body) {
        @Override
        public String toString() {
            return "Reply[status=" + status + ", " + (body == null ? 0 : body.length()) + " chars]";
        }
    }

    /**
     * POSTs {@code formBody} (which contains the token: implementations must never log it).
     *
     * @throws java.net.http.HttpTimeoutException on timeouts, {@link java.net.ConnectException} when nothing was
     *                                            sent, other {@link IOException}s when the exchange broke
     */
    Reply post(String formBody) throws IOException, InterruptedException;
}
