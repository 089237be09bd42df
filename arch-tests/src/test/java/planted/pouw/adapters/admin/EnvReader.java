package planted.pouw.adapters.admin;

/** Breaks configurationIsReadOnlyInBootstrap and cryptoLibraryOnlyInCryptoAdapter. */
public class EnvReader {
    org.bouncycastle.util.Arrays arrays;

    String token() {
        return System.getenv("POUW_ADMIN_TOKENS");
    }
}
