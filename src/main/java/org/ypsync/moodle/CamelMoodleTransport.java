package org.ypsync.moodle;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.hc.client5.http.ConnectTimeoutException;

/**
 * {@link MoodleTransport} through the route {@code direct:moodle-call} (routes/moodle-call.camel.yaml), whose one
 * step is the camel-http endpoint of the component {@code moodleHttp}: every call the client makes (reads, writes,
 * the calls of a bisection, the look-ups after a lost answer) shows in that endpoint's statistics, and a host can
 * intercept or advise it like any other. The form body (it holds the token) travels as the message body, the URL in
 * the exchange property {@value #ENDPOINT}; neither the endpoint URI nor a header carries the token.
 */
public final class CamelMoodleTransport implements MoodleTransport {
    public static final String ROUTE = "direct:moodle-call";
    /** The exchange property with the REST URL of the site. */
    public static final String ENDPOINT = "moodleEndpoint";

    private final CamelContext context;
    private final String endpoint;
    private volatile ProducerTemplate template;

    public CamelMoodleTransport(CamelContext context, MoodleSettings settings) {
        this.context = context;
        this.endpoint = settings.endpoint().toString();
    }

    @Override
    public Reply post(String formBody) throws IOException, InterruptedException {
        Exchange result = template().request(ROUTE, ex -> {
            ex.setProperty(ENDPOINT, endpoint);
            ex.getIn().setBody(formBody);
        });
        Exception failure = result.getException();
        if (failure != null) {
            throw transportFailure(failure);
        }
        Integer status = result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return new Reply(status == null ? 0 : status, result.getMessage().getBody(String.class));
    }

    /**
     * What the HTTP client threw, as the Moodle client classes it: a timeout (connecting, or waiting for the answer),
     * a refused connection (nothing was sent), or another I/O failure (the exchange broke: it may have written).
     */
    static IOException transportFailure(Throwable failure) throws InterruptedException {
        Throwable t = failure;
        while (t != null) {
            // Apache HttpClient's ConnectTimeoutException is an InterruptedIOException, not a SocketTimeoutException
            if (t instanceof ConnectTimeoutException) {
                return new Timeout(true, t);
            }
            if (t instanceof SocketTimeoutException) {
                return new Timeout(false, t);
            }
            if (t instanceof ConnectException c) {
                return c;
            }
            if (t instanceof InterruptedIOException || t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new InterruptedException("interrupted during the Moodle call");
            }
            if (t instanceof IOException io) {
                return io;
            }
            t = t.getCause();
        }
        return new IOException(failure.getClass().getSimpleName() + " during the Moodle call", failure);
    }

    private ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return "CamelMoodleTransport[" + endpoint + " via " + ROUTE + "]";
    }
}
