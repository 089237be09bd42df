package network.sovereign.pouw.adapters.admin.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The admin bearer tokens by name ({@code POUW_ADMIN_TOKENS} or the generated {@code admin} token),
 * matched in constant time: only SHA-256 digests are kept and compared, so neither the content nor
 * the length of a token leaks through timing, and the tokens themselves never appear in
 * {@link #toString()}, logs or exceptions.
 */
public final class AdminTokens {

    private final List<NamedDigest> digests;

    private AdminTokens(List<NamedDigest> digests) {
        this.digests = List.copyOf(digests);
    }

    /**
     * Builds the token set.
     *
     * @param tokensByName token name (the actor recorded for the admin's actions) to secret token
     * @throws IllegalArgumentException when the map is empty, a name is blank or has control
     *                                  characters, a token is blank, or two names share one token
     *                                  (the message names the names, never a token)
     */
    public static AdminTokens of(Map<String, String> tokensByName) {
        Objects.requireNonNull(tokensByName, "tokensByName");
        if (tokensByName.isEmpty()) {
            throw new IllegalArgumentException("at least one admin token is needed");
        }
        List<NamedDigest> digests = new ArrayList<>(tokensByName.size());
        for (Map.Entry<String, String> entry : tokensByName.entrySet()) {
            String name = Objects.requireNonNull(entry.getKey(), "token name");
            String token = Objects.requireNonNull(entry.getValue(), "token of " + name);
            if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("admin token names must be non-blank printable text");
            }
            if (token.isBlank()) {
                throw new IllegalArgumentException("the admin token named " + name + " is blank");
            }
            byte[] digest = sha256(token);
            for (NamedDigest other : digests) {
                if (MessageDigest.isEqual(other.digest(), digest)) {
                    throw new IllegalArgumentException("the admin tokens named " + other.name() + " and " + name
                            + " are the same; each name needs its own token");
                }
            }
            digests.add(new NamedDigest(name, digest));
        }
        return new AdminTokens(digests);
    }

    /**
     * The name of the token presented, if it is one of ours. Every stored digest is compared, whatever
     * matched earlier, so the time taken does not depend on which token (if any) matched.
     */
    public Optional<String> nameOf(String presentedToken) {
        Objects.requireNonNull(presentedToken, "presentedToken");
        byte[] presented = sha256(presentedToken);
        String matched = null;
        for (NamedDigest candidate : digests) {
            if (MessageDigest.isEqual(presented, candidate.digest()) && matched == null) {
                matched = candidate.name();
            }
        }
        return Optional.ofNullable(matched);
    }

    /** The token names, in the order given. */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        digests.forEach(d -> names.add(d.name()));
        return Collections.unmodifiableSet(names);
    }

    /** The token names only; never a token. */
    @Override
    public String toString() {
        return "AdminTokens" + names();
    }

    /**
     * Compares two tokens in time independent of their content and length: both are hashed with
     * SHA-256 and the fixed-length digests compared with {@link MessageDigest#isEqual}.
     */
    static boolean constantTimeEquals(String presented, String expected) {
        return MessageDigest.isEqual(sha256(presented), sha256(expected));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's Javadoc).
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** One token's name and digest; the array is never handed out. */
    private record NamedDigest(String name, byte[] digest) {
    }
}
