package network.sovereign.pouw.application.port.out;

import network.sovereign.pouw.domain.Bytes;

/** Hashes the core needs but the JDK lacks: BLAKE3-256, which binds {@code did:zhtp:} ids to keys. */
public interface KeyDigests {

    /** BLAKE3 with a 32-byte output. */
    Bytes blake3(Bytes input);
}
