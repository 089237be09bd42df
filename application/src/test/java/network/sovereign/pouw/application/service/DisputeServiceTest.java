package network.sovereign.pouw.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import network.sovereign.pouw.application.port.in.FileDisputeUseCase.FileDisputeCommand;
import network.sovereign.pouw.application.port.in.FileDisputeUseCase.FileResult;
import network.sovereign.pouw.application.port.in.FileDisputeUseCase.Refusal;
import network.sovereign.pouw.application.port.in.ManageDisputesUseCase.ChangeResult;
import network.sovereign.pouw.application.port.in.ManageDisputesUseCase.Compensation;
import network.sovereign.pouw.application.port.in.ManageDisputesUseCase.ResolveCommand;
import network.sovereign.pouw.application.port.in.Page;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.application.port.out.Dispute;
import network.sovereign.pouw.application.port.out.DisputeCursor;
import network.sovereign.pouw.application.port.out.DisputeEvent;
import network.sovereign.pouw.application.port.out.DisputeStore;
import network.sovereign.pouw.application.port.out.DisputeTransition;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.DisputeResolutionType;
import network.sovereign.pouw.domain.DisputeStatus;
import network.sovereign.pouw.domain.DisputeType;
import network.sovereign.pouw.domain.EpochSchedule;
import network.sovereign.pouw.domain.SigScheme;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DisputeServiceTest {

    private static final String DID = "did:sov:claimant";
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00.123456789Z");
    private static final Bytes KEY = Bytes.of(Fakes.sha("SHA-256", "client".getBytes(StandardCharsets.UTF_8)));

    /** Disputes in memory, with the conditional transition of the real store. */
    static final class InMemoryDisputes implements DisputeStore {
        final Map<String, Dispute> disputes = new LinkedHashMap<>();
        final Map<String, List<DisputeEvent>> events = new LinkedHashMap<>();
        final List<String> receipts = new ArrayList<>();
        final List<DisputeTransition> applied = new ArrayList<>();
        /** Runs before a transition is applied: a test's concurrent node. */
        Runnable beforeTransition = () -> { };

        final java.util.Set<String> nonces = new java.util.HashSet<>();

        @Override
        public boolean file(Dispute dispute, Bytes signature, String clientNonce, long signedAt) {
            if (!nonces.add(dispute.clientDid() + "/" + clientNonce)) {
                return false;
            }
            disputes.put(dispute.disputeId(), dispute);
            events.computeIfAbsent(dispute.disputeId(), k -> new ArrayList<>())
                    .add(new DisputeEvent(Optional.empty(), DisputeStatus.OPEN, DisputeEvent.CLIENT_ACTOR, Optional.empty(), dispute.createdAt()));
            return true;
        }

        @Override
        public boolean isReceiptOf(String receiptId, String clientDid) {
            return receipts.contains(clientDid + "/" + receiptId);
        }

        @Override
        public Optional<Dispute> find(String disputeId) {
            return Optional.ofNullable(disputes.get(disputeId));
        }

        @Override
        public List<DisputeEvent> events(String disputeId) {
            return events.getOrDefault(disputeId, List.of());
        }

        @Override
        public List<Dispute> list(Optional<DisputeStatus> status, Optional<String> clientDid, Optional<DisputeCursor> after, int limit) {
            Comparator<Dispute> newest = Comparator.comparing(Dispute::createdAt).thenComparing(Dispute::disputeId).reversed();
            return disputes.values().stream()
                    .filter(d -> status.isEmpty() || d.status() == status.get())
                    .filter(d -> clientDid.isEmpty() || d.clientDid().equals(clientDid.get()))
                    .filter(d -> after.isEmpty() || newest.compare(d, new Dispute(after.get().disputeId(), "", Optional.empty(),
                            DisputeType.OTHER, "", DisputeStatus.OPEN, after.get().createdAt(), Optional.empty())) > 0)
                    .sorted(newest).limit(limit).toList();
        }

        @Override
        public Optional<Dispute> transition(DisputeTransition t) {
            beforeTransition.run();
            Dispute d = disputes.get(t.disputeId());
            if (d == null || d.status() != t.expected()) {
                return Optional.empty();
            }
            Dispute moved = d.moved(t.next(), t.resolution());
            disputes.put(d.disputeId(), moved);
            events.get(d.disputeId()).add(new DisputeEvent(Optional.of(t.expected()), t.next(), t.actor(), t.note(), t.at()));
            applied.add(t);
            return Optional.of(moved);
        }
    }

    private final Fakes.InMemoryClients clients = new Fakes.InMemoryClients();
    private final InMemoryDisputes store = new InMemoryDisputes();
    private final Fakes.RecordingMetrics metrics = new Fakes.RecordingMetrics();
    private final Fakes.MutableClock clock = new Fakes.MutableClock(T0);
    private final AtomicInteger ids = new AtomicInteger();
    private DisputeService service;

    @BeforeEach
    void setUp() {
        clients.enrol(new ClientKey(DID, SigScheme.ED25519, KEY), T0);
        service = new DisputeService(store, clients, new Fakes.FakeSignatures(), new EpochSchedule(0, 3600), clock, metrics,
                () -> "d-" + ids.incrementAndGet());
    }

    private static final AtomicInteger NONCES = new AtomicInteger();

    private static FileDisputeCommand command(String did, Optional<String> receiptId, String type, String description) {
        return command(did, receiptId, type, description, "nonce-" + String.format("%010d", NONCES.incrementAndGet()), T0.getEpochSecond());
    }

    private static FileDisputeCommand command(String did, Optional<String> receiptId, String type, String description, String nonce,
                                              long timestamp) {
        byte[] signature = Fakes.FakeSignatures.sign(KEY, DisputeService.signedText(did, receiptId, type, description, nonce, timestamp));
        return new FileDisputeCommand(did, receiptId, type, description, Bytes.of(signature), Optional.of(nonce),
                java.util.OptionalLong.of(timestamp));
    }

    /** The same filing with other text fields but the original signature, nonce and timestamp. */
    private static FileDisputeCommand tampered(FileDisputeCommand valid, String type, String description) {
        return new FileDisputeCommand(valid.clientDid(), valid.receiptId(), type, description, valid.signature(), valid.nonce(), valid.timestamp());
    }

    private Dispute filed() {
        return ((FileResult.Filed) service.file(command(DID, Optional.empty(), "RewardNotReceived", "where is my reward?"))).dispute();
    }

    private ResolveCommand resolve(String id, String type, Optional<Compensation> compensation) {
        return new ResolveCommand(id, type, "Verified bug in reward calculation", compensation, "ops");
    }

    @Test
    void the_signed_text_is_the_spec_string_with_the_sha256_of_the_description() {
        byte[] text = DisputeService.signedText(DID, Optional.of("r-1"), "Other", "abc", "0123456789abcdef", 1777636800L);
        assertEquals("pouw-dispute:v2:did:sov:claimant:r-1:Other:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
                        + ":0123456789abcdef:1777636800",
                new String(text, StandardCharsets.UTF_8));
        assertEquals("pouw-dispute:v2:did:sov:claimant::Other:" + HexFormat.of().formatHex(Fakes.sha("SHA-256", "é".getBytes(StandardCharsets.UTF_8)))
                        + ":n-n-n-n-n-n-n-n-:5",
                new String(DisputeService.signedText(DID, Optional.empty(), "Other", "é", "n-n-n-n-n-n-n-n-", 5), StandardCharsets.UTF_8));
    }

    @Test
    void a_signed_dispute_is_filed_open_with_a_filing_event_and_counted() {
        store.receipts.add(DID + "/r-1");
        FileResult result = service.file(command(DID, Optional.of("r-1"), "IncorrectRewardAmount", "too little"));

        Dispute dispute = assertInstanceOf(FileResult.Filed.class, result).dispute();
        assertEquals(new Dispute("d-1", DID, Optional.of("r-1"), DisputeType.INCORRECT_REWARD_AMOUNT, "too little", DisputeStatus.OPEN,
                Instant.parse("2026-05-01T12:00:00.123456Z"), Optional.empty()), dispute);
        assertEquals(dispute, store.disputes.get("d-1"));
        assertEquals(1, store.events("d-1").size());
        assertEquals(1, metrics.disputesOpened);
    }

    @Test
    void filing_refusals_store_nothing_and_count_nothing() {
        store.receipts.add("did:sov:other/r-9");
        assertRefused(Refusal.UNKNOWN_CLIENT, command("did:sov:stranger", Optional.empty(), "Other", "x"));
        FileDisputeCommand valid = command(DID, Optional.empty(), "Other", "x");
        assertRefused(Refusal.INVALID_SIGNATURE, tampered(valid, "Other", "tampered"));
        assertRefused(Refusal.INVALID_SIGNATURE, tampered(valid, "DoubleSpend", "x"));
        assertRefused(Refusal.INVALID_REQUEST, command(DID, Optional.empty(), "other", "x"));
        assertRefused(Refusal.INVALID_REQUEST, command(DID, Optional.empty(), "Other", ""));
        assertRefused(Refusal.INVALID_REQUEST, command(DID, Optional.empty(), "Other", "   "));
        assertRefused(Refusal.INVALID_REQUEST, command(DID, Optional.empty(), "Other", "x".repeat(4001)));
        assertRefused(Refusal.INVALID_REQUEST, command(DID, Optional.of("r-unknown"), "Other", "x"));
        assertRefused(Refusal.INVALID_REQUEST, command(DID, Optional.of("r-9"), "Other", "x"));
        assertRefused(Refusal.INVALID_REQUEST, command("not-a-did", Optional.empty(), "Other", "x"));
        assertRefused(Refusal.INVALID_REQUEST, new FileDisputeCommand(DID, Optional.empty(), "Other", "x", Bytes.EMPTY,
                valid.nonce(), valid.timestamp()));
        clients.blocked.add(DID);
        assertRefused(Refusal.BLOCKED_DID, valid);

        assertTrue(store.disputes.isEmpty());
        assertEquals(0, metrics.disputesOpened);
        clients.blocked.clear();
        assertInstanceOf(FileResult.Filed.class, service.file(command(DID, Optional.empty(), "Other", "x".repeat(4000))));
    }

    @Test
    void a_replayed_filing_is_refused_and_the_old_unsigned_nonce_form_is_refused_naming_the_new_fields() {
        FileDisputeCommand signed = command(DID, Optional.empty(), "Other", "replay me");
        assertInstanceOf(FileResult.Filed.class, service.file(signed));
        for (int i = 0; i < 4; i++) {
            FileResult again = service.file(signed);
            assertEquals(Refusal.NONCE_REUSED, assertInstanceOf(FileResult.Refused.class, again).refusal());
        }
        assertEquals(1, store.disputes.size());
        assertEquals(1, metrics.disputesOpened);

        FileResult old = service.file(new FileDisputeCommand(DID, Optional.empty(), "Other", "x", signed.signature(), Optional.empty(),
                java.util.OptionalLong.empty()));
        FileResult.Refused refused = assertInstanceOf(FileResult.Refused.class, old);
        assertEquals(Refusal.INVALID_REQUEST, refused.refusal());
        assertTrue(refused.detail().contains("nonce and timestamp are required"), refused.detail());
        assertTrue(refused.detail().contains("pouw-dispute:v2:"), refused.detail());
        assertRefused(Refusal.INVALID_REQUEST, command(DID, Optional.empty(), "Other", "x", "short", T0.getEpochSecond()));
        assertRefused(Refusal.INVALID_REQUEST, command(DID, Optional.empty(), "Other", "x", "with space 0123456789", T0.getEpochSecond()));
        assertRefused(Refusal.INVALID_REQUEST, command(DID, Optional.empty(), "Other", "x", "n".repeat(65), T0.getEpochSecond()));
        assertInstanceOf(FileResult.Filed.class, service.file(command(DID, Optional.empty(), "Other", "x", "n".repeat(64), T0.getEpochSecond())));
    }

    @Test
    void a_timestamp_outside_the_clock_skew_is_refused() {
        long now = T0.getEpochSecond();
        service = new DisputeService(store, clients, new Fakes.FakeSignatures(), new EpochSchedule(0, 3600), clock, metrics,
                () -> "d-" + ids.incrementAndGet(), () -> java.time.Duration.ofSeconds(90));
        assertRefused(Refusal.STALE_TIMESTAMP, command(DID, Optional.empty(), "Other", "x", "stale-nonce-000001", now - 91));
        assertRefused(Refusal.STALE_TIMESTAMP, command(DID, Optional.empty(), "Other", "x", "stale-nonce-000002", now + 91));
        assertInstanceOf(FileResult.Filed.class, service.file(command(DID, Optional.empty(), "Other", "x", "stale-nonce-000003", now - 90)));
        assertInstanceOf(FileResult.Filed.class, service.file(command(DID, Optional.empty(), "Other", "x", "stale-nonce-000004", now + 90)));
    }

    @Test
    void a_small_clock_skew_still_tolerates_a_minute_for_filings() {
        long now = T0.getEpochSecond();
        service = new DisputeService(store, clients, new Fakes.FakeSignatures(), new EpochSchedule(0, 3600), clock, metrics,
                () -> "d-" + ids.incrementAndGet(), () -> java.time.Duration.ZERO);
        assertInstanceOf(FileResult.Filed.class, service.file(command(DID, Optional.empty(), "Other", "x", "skew-nonce-0000001", now - 60)));
        assertRefused(Refusal.STALE_TIMESTAMP, command(DID, Optional.empty(), "Other", "x", "skew-nonce-0000002", now - 61));
    }

    @Test
    void the_admission_gate_is_asked_only_once_the_signature_verifies() {
        List<String> asked = new ArrayList<>();
        FileDisputeCommand valid = command(DID, Optional.empty(), "Other", "x");
        FileResult forged = service.file(tampered(valid, "Other", "forged"), did -> asked.add(did));
        assertEquals(Refusal.INVALID_SIGNATURE, assertInstanceOf(FileResult.Refused.class, forged).refusal());
        assertTrue(asked.isEmpty(), "an unverified filing never spends the DID's permits");
        FileResult limited = service.file(valid, did -> asked.add(did) && false);
        assertEquals(Refusal.RATE_LIMITED, assertInstanceOf(FileResult.Refused.class, limited).refusal());
        assertEquals(List.of(DID), asked);
        assertTrue(store.disputes.isEmpty());
    }

    private void assertRefused(Refusal refusal, FileDisputeCommand command) {
        FileResult result = service.file(command);
        assertEquals(refusal, assertInstanceOf(FileResult.Refused.class, result).refusal(), result.toString());
    }

    @Test
    void resolution_types_lead_to_their_statuses_and_settled_disputes_never_change() {
        Map<String, DisputeStatus> expected = Map.of("ClaimantCorrect", DisputeStatus.RESOLVED_FOR_CLAIMANT,
                "PartialResolution", DisputeStatus.RESOLVED_FOR_CLAIMANT, "NodeCorrect", DisputeStatus.RESOLVED_FOR_NODE,
                "Inconclusive", DisputeStatus.CLOSED);
        for (var entry : expected.entrySet()) {
            Dispute dispute = filed();
            ChangeResult result = service.resolve(resolve(dispute.disputeId(), entry.getKey(), Optional.empty()));
            Dispute resolved = assertInstanceOf(ChangeResult.Changed.class, result).dispute();
            assertEquals(entry.getValue(), resolved.status());
            assertEquals("ops", resolved.resolution().orElseThrow().resolvedBy());

            ChangeResult again = service.resolve(resolve(dispute.disputeId(), "ClaimantCorrect", Optional.empty()));
            assertEquals(entry.getValue(), assertInstanceOf(ChangeResult.Conflict.class, again).current());
            assertInstanceOf(ChangeResult.Conflict.class, service.reject(dispute.disputeId(), "no", "ops"));
            assertInstanceOf(ChangeResult.Conflict.class, service.investigate(dispute.disputeId(), Optional.empty(), "ops"));
            assertEquals(entry.getValue(), store.disputes.get(dispute.disputeId()).status());
        }
        assertEquals(4, store.applied.size());
        assertEquals(Map.of(DisputeResolutionType.CLAIMANT_CORRECT, 1L, DisputeResolutionType.PARTIAL_RESOLUTION, 1L,
                DisputeResolutionType.NODE_CORRECT, 1L, DisputeResolutionType.INCONCLUSIVE, 1L), metrics.disputesResolved);
    }

    @Test
    void compensation_is_converted_exactly_to_atoms_in_the_current_epoch_with_the_audit_entry() {
        Dispute dispute = filed();
        ChangeResult result = service.resolve(resolve(dispute.disputeId(), "ClaimantCorrect",
                Optional.of(new Compensation(new BigDecimal("100"), "SOV"))));

        Dispute resolved = assertInstanceOf(ChangeResult.Changed.class, result).dispute();
        BigInteger atoms = new BigInteger("100000000000000000000");
        assertEquals(Optional.of(atoms), resolved.resolution().orElseThrow().compensationAtoms());
        DisputeTransition t = store.applied.getFirst();
        assertEquals(Optional.of(new DisputeTransition.Compensation(T0.getEpochSecond() / 3600, atoms)), t.compensation());
        assertEquals("resolve_dispute", t.audit().action());
        assertEquals(Optional.of(dispute.disputeId()), t.audit().target());
        assertEquals("ops", t.audit().actor());
        assertEquals("100", DisputeService.sov(atoms));
    }

    @Test
    void sov_amounts_convert_exactly_or_not_at_all() {
        assertEquals(Optional.of(BigInteger.ONE), DisputeService.toAtoms(new BigDecimal("0.000000000000000001")));
        assertEquals(Optional.of(new BigInteger("1500000000000000000")), DisputeService.toAtoms(new BigDecimal("1.50")));
        assertEquals(Optional.of(new BigInteger("100000000000000000000")), DisputeService.toAtoms(new BigDecimal("1E+2")));
        assertEquals(Optional.empty(), DisputeService.toAtoms(new BigDecimal("0.0000000000000000001")));
        assertEquals(Optional.empty(), DisputeService.toAtoms(BigDecimal.ZERO));
        assertEquals(Optional.empty(), DisputeService.toAtoms(new BigDecimal("-1")));
        assertEquals(Optional.empty(), DisputeService.toAtoms(new BigDecimal("1E+999999999")));
        assertEquals(Optional.empty(), DisputeService.toAtoms(new BigDecimal("100000000000000000000")), "10^20 SOV is more than numeric(38,0)");
        assertEquals(Optional.of(new BigInteger("1000000000000000000000000000")), DisputeService.toAtoms(new BigDecimal("1000000000")),
                "10^9 SOV, the most one dispute can award");
        assertEquals(Optional.empty(), DisputeService.toAtoms(new BigDecimal("1000000000.000000000000000001")),
                "beyond 10^9 SOV: many such sums per epoch would overflow the payout column");
        assertEquals("0.000000000000000001", DisputeService.sov(BigInteger.ONE));
        assertEquals("1.5", DisputeService.sov(new BigInteger("1500000000000000000")));
    }

    @Test
    void invalid_resolutions_change_nothing() {
        Dispute dispute = filed();
        String id = dispute.disputeId();
        Compensation sov = new Compensation(BigDecimal.TEN, "SOV");
        List<ChangeResult> results = List.of(
                service.resolve(resolve(id, "Claimantcorrect", Optional.empty())),
                service.resolve(resolve(id, "NodeCorrect", Optional.of(sov))),
                service.resolve(resolve(id, "Inconclusive", Optional.of(sov))),
                service.resolve(resolve(id, "ClaimantCorrect", Optional.of(new Compensation(BigDecimal.TEN, "sov")))),
                service.resolve(resolve(id, "ClaimantCorrect", Optional.of(new Compensation(new BigDecimal("-1"), "SOV")))),
                service.resolve(resolve(id, "ClaimantCorrect", Optional.of(new Compensation(new BigDecimal("1e-19"), "SOV")))),
                service.resolve(new ResolveCommand(id, "ClaimantCorrect", " ", Optional.empty(), "ops")),
                service.reject(id, "", "ops"),
                service.investigate(id, Optional.of("x".repeat(4001)), "ops"));
        for (ChangeResult result : results) {
            assertInstanceOf(ChangeResult.Invalid.class, result);
        }
        assertEquals(DisputeStatus.OPEN, store.disputes.get(id).status());
        assertTrue(store.applied.isEmpty());
        assertTrue(metrics.disputesResolved.isEmpty());
    }

    @Test
    void unknown_disputes_are_not_found() {
        assertInstanceOf(ChangeResult.NotFound.class, service.resolve(resolve("nope", "NodeCorrect", Optional.empty())));
        assertInstanceOf(ChangeResult.NotFound.class, service.reject("nope", "x", "ops"));
        assertInstanceOf(ChangeResult.NotFound.class, service.investigate("x".repeat(41), Optional.empty(), "ops"));
        assertTrue(service.detail("nope").isEmpty());
    }

    @Test
    void investigate_only_from_open_then_resolve_or_reject() {
        Dispute a = filed();
        Dispute investigated = assertInstanceOf(ChangeResult.Changed.class,
                service.investigate(a.disputeId(), Optional.of("looking"), "ops")).dispute();
        assertEquals(DisputeStatus.UNDER_INVESTIGATION, investigated.status());
        assertEquals(DisputeStatus.UNDER_INVESTIGATION,
                assertInstanceOf(ChangeResult.Conflict.class, service.investigate(a.disputeId(), Optional.empty(), "ops")).current());
        Dispute rejected = assertInstanceOf(ChangeResult.Changed.class, service.reject(a.disputeId(), "not a bug", "bob")).dispute();
        assertEquals(DisputeStatus.REJECTED, rejected.status());
        assertEquals(Optional.empty(), rejected.resolution().orElseThrow().type());
        assertEquals("not a bug", rejected.resolution().orElseThrow().explanation());
        var detail = service.detail(a.disputeId()).orElseThrow();
        assertEquals(List.of(DisputeStatus.OPEN, DisputeStatus.UNDER_INVESTIGATION, DisputeStatus.REJECTED),
                detail.events().stream().map(DisputeEvent::to).toList());
        assertEquals(List.of("investigate_dispute", "reject_dispute"), store.applied.stream().map(t -> t.audit().action()).toList());
    }

    @Test
    void the_loser_of_a_race_gets_a_conflict_and_changes_nothing() {
        Dispute dispute = filed();
        // Another node resolves the dispute between our read and our conditional update.
        store.beforeTransition = () -> {
            store.beforeTransition = () -> { };
            store.disputes.put(dispute.disputeId(), dispute.moved(DisputeStatus.RESOLVED_FOR_NODE, Optional.empty()));
        };
        ChangeResult result = service.resolve(resolve(dispute.disputeId(), "ClaimantCorrect",
                Optional.of(new Compensation(BigDecimal.ONE, "SOV"))));
        assertEquals(DisputeStatus.RESOLVED_FOR_NODE, assertInstanceOf(ChangeResult.Conflict.class, result).current());
        assertTrue(store.applied.isEmpty());
        assertTrue(metrics.disputesResolved.isEmpty());
    }

    @Test
    void a_dispute_investigated_concurrently_can_still_be_resolved() {
        Dispute dispute = filed();
        store.beforeTransition = () -> {
            store.beforeTransition = () -> { };
            store.disputes.put(dispute.disputeId(), dispute.moved(DisputeStatus.UNDER_INVESTIGATION, Optional.empty()));
        };
        ChangeResult result = service.resolve(resolve(dispute.disputeId(), "NodeCorrect", Optional.empty()));
        assertEquals(DisputeStatus.RESOLVED_FOR_NODE, assertInstanceOf(ChangeResult.Changed.class, result).dispute().status());
        assertEquals(DisputeStatus.UNDER_INVESTIGATION, store.applied.getFirst().expected());
    }

    @Test
    void lists_page_newest_first_with_filters() {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            order.add(filed().disputeId());
            clock.advance(java.time.Duration.ofSeconds(1));
        }
        service.reject(order.get(1), "no", "ops");
        Page<Dispute> first = service.list(Optional.empty(), Optional.empty(), Optional.empty(), 2);
        assertEquals(List.of(order.get(4), order.get(3)), first.items().stream().map(Dispute::disputeId).toList());
        assertTrue(first.more());
        Page<Dispute> rest = service.list(Optional.empty(), Optional.of(DID), Optional.of(DisputeCursor.after(first.items().getLast())), 10);
        assertEquals(List.of(order.get(2), order.get(1), order.get(0)), rest.items().stream().map(Dispute::disputeId).toList());
        assertEquals(List.of(order.get(1)), service.list(Optional.of(DisputeStatus.REJECTED), Optional.empty(), Optional.empty(), 10)
                .items().stream().map(Dispute::disputeId).toList());
        assertEquals(List.of(), service.list(Optional.empty(), Optional.of("did:sov:other"), Optional.empty(), 10).items());
    }
}
