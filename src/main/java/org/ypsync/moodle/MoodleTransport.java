package org.ypsync.moodle;

import java.io.IOException;

/**
 * Sends one form-encoded POST to the REST endpoint. Pluggable so that tests can count and script calls; the
 * production one is {@link CamelMoodleTransport} (the camel-http route direct:moodle-call).
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
     * @throws Timeout on timeouts, {@link java.net.ConnectException} when nothing was sent, other
     *                 {@link IOException}s when the exchange broke
     */
    Reply post(String formBody) throws IOException, InterruptedException;

    /** No answer in time: while connecting (nothing was sent) or while waiting for the answer (it may have written). */
    final class Timeout extends IOException {
        private final boolean connecting;

        public Timeout(boolean connecting, Throwable cause) {
            super(connecting ? "connect timed out" : "no answer in time", cause);
            this.connecting = connecting;
        }

        public boolean connecting() {
            return connecting;
        }
    }
}
