package network.sovereign.pouw.adapters.web.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.ReceiptBatch;
import network.sovereign.pouw.domain.SignedReceipt;

/**
 * A receipt batch as read from the wire: the batch's own fields and, per receipt in the order sent,
 * either the domain receipt or why the domain cannot hold it (a {@code malformed_receipt} detail).
 *
 * @param version    the batch's {@code version} as sent (uint32 bits)
 * @param clientDid  the batch's {@code client_did}
 * @param batchNonce the batch's {@code batch_nonce}
 * @param entries    one entry per receipt, in the order sent
 */
public record DecodedBatch(int version, String clientDid, Bytes batchNonce, List<Entry> entries) {

    /** Copies the entries and checks that nothing is null. */
    public DecodedBatch {
        Objects.requireNonNull(clientDid, "clientDid");
        Objects.requireNonNull(batchNonce, "batchNonce");
        entries = List.copyOf(entries);
    }

    /** One receipt of the batch as read. */
    public sealed interface Entry {

        /** A receipt the domain can hold; validation (SPEC §3) is still to come. */
        record Readable(SignedReceipt signed) implements Entry {
            /** Checks that nothing is null. */
            public Readable {
                Objects.requireNonNull(signed, "signed");
            }
        }

        /**
         * A receipt the domain cannot hold (an unknown {@code proof_type}, no {@code receipt}): it is
         * rejected as {@code malformed_receipt} with this detail.
         *
         * @param receiptNonce the receipt's nonce as sent, empty when there is none
         * @param detail       one line saying what is wrong
         */
        record Malformed(Bytes receiptNonce, String detail) implements Entry {
            /** Checks that nothing is null. */
            public Malformed {
                Objects.requireNonNull(receiptNonce, "receiptNonce");
                Objects.requireNonNull(detail, "detail");
            }
        }
    }

    /** True when every receipt was readable. */
    public boolean allReadable() {
        return entries.stream().allMatch(Entry.Readable.class::isInstance);
    }

    /** The batch of the readable receipts only, in the order sent, for the submit use case. */
    public ReceiptBatch readable() {
        List<SignedReceipt> readable = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            if (entry instanceof Entry.Readable(SignedReceipt signed)) {
                readable.add(signed);
            }
        }
        return new ReceiptBatch(version, clientDid, batchNonce, readable);
    }

    /**
     * One result per entry in the order sent: the results for {@link #readable()}'s receipts, in their
     * order, with {@code forMalformed} applied at each malformed entry's place.
     *
     * @throws IllegalArgumentException when there is not exactly one result per readable receipt
     */
    public <T> List<T> interleave(List<? extends T> readableResults, Function<Entry.Malformed, ? extends T> forMalformed) {
        long readableCount = entries.stream().filter(Entry.Readable.class::isInstance).count();
        if (readableResults.size() != readableCount) {
            throw new IllegalArgumentException(readableResults.size() + " results for " + readableCount + " readable receipts");
        }
        List<T> results = new ArrayList<>(entries.size());
        int next = 0;
        for (Entry entry : entries) {
            switch (entry) {
                case Entry.Readable _ -> results.add(readableResults.get(next++));
                case Entry.Malformed malformed -> results.add(forMalformed.apply(malformed));
            }
        }
        return results;
    }
}
