package org.ypsync.moodle;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** {@link MoodleTransport} on java.net.http: POST, form body, redirects not followed (a redirected POST loses it). */
public final class JdkHttpTransport implements MoodleTransport {

    private final HttpClient http;
    private final URI endpoint;
    private final Duration readTimeout;

    public JdkHttpTransport(MoodleSettings settings) {
        this.endpoint = settings.endpoint();
        this.readTimeout = settings.readTimeout();
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public Reply post(String formBody) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(endpoint)
                .timeout(readTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(formBody, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(resp.statusCode(), resp.body());
    }

    @Override
    public String toString() {
        return "JdkHttpTransport[" + endpoint + "]";
    }
}
