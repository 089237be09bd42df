package planted.pouw.adapters.crypto.sub;

/** The other half of the planted cycle. */
public class Helper {
    planted.pouw.adapters.crypto.Signer signer;
}
