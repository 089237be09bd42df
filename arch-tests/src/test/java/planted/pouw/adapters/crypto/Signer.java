package planted.pouw.adapters.crypto;

/** Breaks noCycles (with sub.Helper) and httpOnlyInAdapters. */
public class Signer {
    planted.pouw.adapters.crypto.sub.Helper helper;
    io.helidon.http.Status status;
}
