package network.sovereign.pouw.domain;

import java.util.regex.Pattern;

/** Decentralized identifiers as the node accepts them: {@code did:<method>:<id>}, at most 256 characters. */
public final class Did {

    /** The longest DID accepted. */
    public static final int MAX_LENGTH = 256;

    private static final Pattern SYNTAX = Pattern.compile("did:[a-z0-9]+:[A-Za-z0-9._%:\\-]+");

    private Did() {
    }

    /** True when the text is a DID the node accepts. */
    public static boolean isValid(String did) {
        return did != null && did.length() <= MAX_LENGTH && SYNTAX.matcher(did).matches() && !did.endsWith(":");
    }
}
