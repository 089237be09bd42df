package network.sovereign.pouw.adapters.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Group commit by flat combining: concurrent callers of {@link #submit} queue their item, and whoever
 * holds one of a few lanes takes everything queued (up to a maximum) and hands it as one group to the
 * committer, which answers each item (normally after one transaction for the whole group). Every caller
 * returns only when its own item has been answered, so no caller hears about work that is not yet
 * committed. A caller alone pays nothing but a queue hop: its group has one item.
 *
 * <p>Why no item waits forever: a caller queues its item before it takes a lane and drains the queue
 * while holding one until its own item is answered or no longer queued; an item no longer queued is in
 * a group that some lane is committing.
 */
final class GroupCommit<T, R> {

    /** One queued item and the answer its caller waits for. */
    record Pending<T, R>(T item, CompletableFuture<R> answer) {
    }

    private final ConcurrentLinkedQueue<Pending<T, R>> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore lanes;
    private final int maxGroup;
    private final Consumer<List<Pending<T, R>>> committer;
    private final Predicate<Throwable> failsQueued;
    /** How long {@link #submit} waits for a lane, in nanoseconds; negative: as long as it takes. */
    private final long laneWaitNanos;
    private final Supplier<RuntimeException> laneTimeout;

    /**
     * @param lanes     how many groups may be committed at once (each takes one connection)
     * @param maxGroup  the most items in one group
     * @param committer answers every item of a group (completes each {@link Pending#answer()})
     */
    GroupCommit(int lanes, int maxGroup, Consumer<List<Pending<T, R>>> committer) {
        this(lanes, maxGroup, committer, failure -> false);
    }

    /**
     * Like {@link #GroupCommit(int, int, Consumer)}, and a group failing with a failure that
     * {@code failsQueued} accepts (an outage) fails every item queued at that moment with it too, so
     * that their callers are answered at once instead of each waiting for a lane and then for its own
     * timeout. Only for work that may be refused as a whole when the store is down, such as reads.
     */
    GroupCommit(int lanes, int maxGroup, Consumer<List<Pending<T, R>>> committer, Predicate<Throwable> failsQueued) {
        this(lanes, maxGroup, committer, failsQueued, -1, () -> new IllegalStateException("unreachable"));
    }

    /**
     * Like {@link #GroupCommit(int, int, Consumer, Predicate)}, and {@link #submit} waits at most
     * {@code laneWait} for a lane: if by then no lane has taken its item into a group, the item leaves
     * the queue unanswered and the caller gets {@code laneTimeout} (as a caller waiting for a pooled
     * connection gets the pool's timeout). An item some lane took is answered with that lane's group.
     */
    GroupCommit(int lanes, int maxGroup, Consumer<List<Pending<T, R>>> committer, Predicate<Throwable> failsQueued,
                long laneWaitNanos, Supplier<RuntimeException> laneTimeout) {
        if (lanes < 1 || maxGroup < 1) {
            throw new IllegalArgumentException("lanes and maxGroup must be positive");
        }
        this.lanes = new Semaphore(lanes);
        this.maxGroup = maxGroup;
        this.committer = Objects.requireNonNull(committer, "committer");
        this.failsQueued = Objects.requireNonNull(failsQueued, "failsQueued");
        this.laneWaitNanos = laneWaitNanos;
        this.laneTimeout = Objects.requireNonNull(laneTimeout, "laneTimeout");
    }

    /** Queues {@code item}, helps commit groups until it is answered, and returns its answer (or throws its failure). */
    R submit(T item) {
        Pending<T, R> mine = new Pending<>(item, new CompletableFuture<>());
        queue.add(mine);
        if (!acquireLane()) {
            if (queue.remove(mine)) {
                throw laneTimeout.get(); // never taken: nothing of it was tried
            }
            return answer(mine); // in a group a lane is committing: answered with it
        }
        try {
            while (!mine.answer().isDone()) {
                List<Pending<T, R>> group = drain();
                if (group.isEmpty()) {
                    break; // ours is in a group another lane is committing
                }
                commit(group);
            }
        } finally {
            lanes.release();
        }
        return answer(mine);
    }

    /**
     * Queues all of {@code items} at once (so they normally share one group), helps commit groups until
     * every one is answered, and returns their answers in order (or throws the first failure).
     */
    List<R> submitAll(List<T> items) {
        if (items.size() == 1) {
            return List.of(submit(items.getFirst()));
        }
        List<Pending<T, R>> mine = new ArrayList<>(items.size());
        for (T item : items) {
            mine.add(new Pending<>(item, new CompletableFuture<>()));
        }
        queue.addAll(mine);
        lanes.acquireUninterruptibly();
        try {
            while (!mine.stream().allMatch(p -> p.answer().isDone())) {
                List<Pending<T, R>> group = drain();
                if (group.isEmpty()) {
                    break; // the rest of ours are in groups other lanes are committing
                }
                commit(group);
            }
        } finally {
            lanes.release();
        }
        List<R> answers = new ArrayList<>(items.size());
        for (Pending<T, R> pending : mine) {
            answers.add(answer(pending));
        }
        return answers;
    }

    /** Takes a lane, waiting at most the lane wait when there is one; false when it ran out (or the thread was interrupted). */
    private boolean acquireLane() {
        if (laneWaitNanos < 0) {
            lanes.acquireUninterruptibly();
            return true;
        }
        try {
            return lanes.tryAcquire(laneWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private R answer(Pending<T, R> pending) {
        try {
            return pending.answer().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Items queued and not yet taken into a group (for tests). */
    int queued() {
        return queue.size();
    }

    private List<Pending<T, R>> drain() {
        List<Pending<T, R>> group = new ArrayList<>();
        Pending<T, R> next;
        while (group.size() < maxGroup && (next = queue.poll()) != null) {
            group.add(next);
        }
        return group;
    }

    private void commit(List<Pending<T, R>> group) {
        try {
            committer.accept(List.copyOf(group));
        } catch (RuntimeException | Error e) {
            group.forEach(p -> p.answer().completeExceptionally(e));
            if (failsQueued.test(e)) {
                Pending<T, R> queued;
                while ((queued = queue.poll()) != null) {
                    queued.answer().completeExceptionally(e);
                }
            }
        } finally {
            for (Pending<T, R> p : group) {
                if (!p.answer().isDone()) {
                    p.answer().completeExceptionally(new IllegalStateException("the group commit left an item unanswered"));
                }
            }
        }
    }
}
