package network.sovereign.pouw.application.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import network.sovereign.pouw.application.port.in.Page;
import network.sovereign.pouw.application.port.in.PayoutsUseCase;
import network.sovereign.pouw.application.port.out.AuditEntry;
import network.sovereign.pouw.application.port.out.Payout;
import network.sovereign.pouw.application.port.out.PayoutStore;
import network.sovereign.pouw.domain.PayoutStatus;
import network.sovereign.pouw.domain.RewardSchedule;

/**
 * Payouts (SPEC §6): before listing, makes the missing payout rows of closed epochs (idempotently, so
 * every node may do it); settlement steps follow {@link PayoutStatus#canMoveTo} and are audited
 * ({@code payout_processing}, {@code payout_paid}, {@code payout_failed}, target the reward id) in the
 * same transaction. Paying a paid payout again with the same {@code tx_hash} changes nothing.
 */
public final class PayoutService implements PayoutsUseCase {

    private final PayoutStore store;
    private final RewardSchedule rewards;
    private final Clock clock;
    private final java.time.Duration settle;

    /**
     * Creates the service.
     *
     * @param settle how long after its end an epoch counts as closed: credits are dated before they commit
     *               and nodes' clocks differ, so a payout made at the very end could miss a late credit
     *               (payout amounts are never recomputed)
     */
    public PayoutService(PayoutStore store, RewardSchedule rewards, Clock clock, java.time.Duration settle) {
        this.store = Objects.requireNonNull(store, "store");
        this.rewards = Objects.requireNonNull(rewards, "rewards");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settle = Objects.requireNonNull(settle, "settle");
        if (settle.isNegative()) {
            throw new IllegalArgumentException("settle must not be negative: " + settle);
        }
    }

    /** The audit action of a step to {@code target}. */
    public static String auditAction(PayoutStatus target) {
        return "payout_" + target.wireName();
    }

    @Override
    public ListResult list(OptionalLong epoch, Optional<String> status, Optional<String> afterId, int limit) {
        Page.checkLimit(limit);
        Optional<PayoutStatus> wanted = Optional.empty();
        if (status.isPresent()) {
            wanted = PayoutStatus.fromWireName(status.get());
            if (wanted.isEmpty()) {
                return new ListResult.Invalid("status must be one of " + Arrays.stream(PayoutStatus.values())
                        .map(PayoutStatus::wireName).collect(Collectors.joining(", ")));
            }
        }
        Instant now = clock.instant();
        // The oldest epoch still open to credits: the current one, or the one before while it settles.
        long open = rewards.epochs().epochOf(now.minus(settle));
        if (epoch.isPresent() && epoch.getAsLong() >= open) {
            return new ListResult.Invalid("epoch " + epoch.getAsLong() + " is not closed yet: the current epoch is " + open
                    + closesAt(epoch.getAsLong()));
        }
        store.materialise(epoch, open, rewards.capAtoms(), now);
        return new ListResult.Listed(Page.of(store.list(epoch, wanted, afterId, limit + 1), limit));
    }

    @Override
    public Epochs epochs() {
        Instant now = clock.instant();
        long current = rewards.epochs().epochOf(now);
        // As in list: an epoch is closed once its end lies the settle margin back.
        long lastClosed = rewards.epochs().epochOf(now.minus(settle)) - 1;
        return new Epochs(current, rewards.epochs().startOf(current), rewards.epochs().startOf(current + 1),
                rewards.epochs().lengthSeconds(), lastClosed >= 0 ? OptionalLong.of(lastClosed) : OptionalLong.empty());
    }

    private String closesAt(long epoch) {
        try {
            return " and epoch " + epoch + " closes at " + rewards.epochs().startOf(Math.addExact(epoch, 1)).plus(settle);
        } catch (ArithmeticException | java.time.DateTimeException e) {
            return ""; // an epoch beyond the calendar: saying it is not closed is enough
        }
    }

    @Override
    public TransitionResult transition(TransitionCommand command) {
        Objects.requireNonNull(command, "command");
        Optional<String> txHash = Optional.empty();
        if (command.target() == PayoutStatus.PAID) {
            String hash = command.txHash().map(String::strip).orElse("");
            if (hash.isEmpty() || hash.length() > MAX_TX_HASH || !hash.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                return new TransitionResult.Invalid("tx_hash is required: 1.." + MAX_TX_HASH + " printable ASCII characters");
            }
            txHash = Optional.of(hash);
        }
        if (command.rewardId().isEmpty() || command.rewardId().length() > 40 || !command.rewardId().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return new TransitionResult.NotFound();
        }
        Set<PayoutStatus> from = EnumSet.noneOf(PayoutStatus.class);
        for (PayoutStatus status : PayoutStatus.values()) {
            if (status.canMoveTo(command.target())) {
                from.add(status);
            }
        }
        Instant at = clock.instant();
        Optional<String> details = txHash.map(h -> "tx_hash=" + h)
                .or(() -> command.note().filter(n -> !n.isBlank()).map(n -> clip(n, AuditEntry.MAX_DETAILS)));
        AuditEntry audit = new AuditEntry(command.actor(), auditAction(command.target()), Optional.of(command.rewardId()),
                Optional.empty(), details, at);
        return switch (store.transition(command.rewardId(), from, command.target(), txHash, at, audit)) {
            case PayoutStore.TransitionResult.Changed changed -> new TransitionResult.Changed(changed.payout());
            case PayoutStore.TransitionResult.NotFound notFound -> new TransitionResult.NotFound();
            case PayoutStore.TransitionResult.Conflict conflict -> conflict(conflict.current(), command.target(), txHash);
        };
    }

    private static TransitionResult conflict(Payout current, PayoutStatus target, Optional<String> txHash) {
        if (current.status() == PayoutStatus.PAID && target == PayoutStatus.PAID) {
            if (current.txHash().equals(txHash)) {
                return new TransitionResult.Unchanged(current);
            }
            return new TransitionResult.Conflict("the payout is already paid with another tx_hash (" + current.txHash().orElse("") + ")");
        }
        return new TransitionResult.Conflict("a " + current.status().wireName() + " payout cannot become " + target.wireName()
                + (current.status() == PayoutStatus.PAID ? ": paid is final" : ""));
    }

    private static String clip(String text, int max) {
        String clean = text.replace('\0', '\uFFFD');
        return clean.length() <= max ? clean : clean.substring(0, max);
    }
}
