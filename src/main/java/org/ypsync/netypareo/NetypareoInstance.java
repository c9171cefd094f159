package org.ypsync.netypareo;

import java.util.Objects;

/**
 * One configured NetYpareo instance. {@code index} is its position in the configured list: instance 0 keeps the
 * raw NetYpareo codes as Moodle idnumbers, instance n &gt; 0 prefixes them with {@code "n_"} so two instances never
 * collide in one Moodle.
 *
 * @param index   position in the configured list (0-based)
 * @param id      short operator-chosen id, used in logs and messages
 * @param name    display name
 * @param baseUrl instance base URL, normalised to end with '/' (the client appends {@code index.php/r/v1/<path>})
 * @param token   the prestataire's X-Auth-Token: a secret, never printed
 */
public record NetypareoInstance(int index, String id, String name, String baseUrl, String token) {

    public NetypareoInstance {
        if (index < 0) {
            throw new IllegalArgumentException("NetYpareo instance index must be >= 0, was " + index);
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("NetYpareo instance " + index + ": id is missing");
        }
        id = id.trim();
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("NetYpareo instance '" + id + "': base URL is missing");
        }
        baseUrl = baseUrl.trim();
        if (!baseUrl.endsWith("/")) {
            baseUrl = baseUrl + "/";
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("NetYpareo instance '" + id + "': token is missing");
        }
        token = token.trim();
        name = name == null || name.isBlank() ? id : name.trim();
    }

    /** The prefix of Moodle idnumbers for this instance: "" for instance 0, "n_" otherwise. */
    public String idPrefix() {
        return index == 0 ? "" : index + "_";
    }

    /** "'demo' (Test Ymag)": how messages name the instance. */
    public String label() {
        return name.equals(id) ? "'" + id + "'" : "'" + id + "' (" + name + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetypareoInstance other && index == other.index && id.equals(other.id)
                && name.equals(other.name) && baseUrl.equals(other.baseUrl) && token.equals(other.token);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, id, name, baseUrl);
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "NetypareoInstance[index=" + index + ", id=" + id + ", name=" + name + ", baseUrl=" + baseUrl
                + ", token=****]";
    }
}
