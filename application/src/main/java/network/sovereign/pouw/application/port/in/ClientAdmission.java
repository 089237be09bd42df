package network.sovereign.pouw.application.port.in;

/**
 * The driving adapter's gate in front of work done for a DID, asked only once the request has proven
 * that it comes from that DID (a verified signature or proof): the web adapter's per-DID rate limit.
 * A request that cannot prove it is the DID never reaches the gate, so it cannot spend the DID's
 * permits; it is bounded by the per-IP limit alone.
 */
@FunctionalInterface
public interface ClientAdmission {

    /** A gate that admits everything (tests, the CLI). */
    ClientAdmission ALWAYS = did -> true;

    /**
     * Admits one authenticated request of the DID, or refuses it (the adapter remembers why, e.g. the
     * seconds for {@code Retry-After}).
     *
     * @param did the DID the request has proven to be
     * @return true to go on, false to refuse the request as rate limited
     */
    boolean admit(String did);
}
