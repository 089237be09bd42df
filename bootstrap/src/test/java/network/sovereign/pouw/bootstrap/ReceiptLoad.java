package network.sovereign.pouw.bootstrap;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import network.sovereign.pouw.domain.Bytes;

/**
 * Clients submitting receipt batches continuously to whichever node is current, the way a real client
 * would: a batch whose answer is lost (connection refused or reset) or refused with 503/429 is sent
 * again, byte for byte, until it is answered. Records every answer so that a scenario can compare what
 * the clients were told with what the database holds.
 */
final class ReceiptLoad implements AutoCloseable {

    /** Statuses a loader tolerates and retries. */
    private static final List<Integer> RETRIED = List.of(503, 429);

    final AtomicReference<JarNode> node;
    /** nonce → receipt_id of every receipt ever answered accepted (fresh or replayed). */
    final Map<String, String> accepted = new ConcurrentHashMap<>();
    /** nonce → times it was answered accepted with replayed=false. */
    final Map<String, Integer> freshAcceptances = new ConcurrentHashMap<>();
    final AtomicLong batches = new AtomicLong();
    final AtomicLong answered200 = new AtomicLong();
    final AtomicLong answered503 = new AtomicLong();
    final AtomicLong answered429 = new AtomicLong();
    final AtomicLong lostAnswers = new AtomicLong();
    final AtomicLong replayedAnswers = new AtomicLong();
    final AtomicLong retriedBatches = new AtomicLong();
    final AtomicLong max503Millis = new AtomicLong();
    /** Anything a correct node never answers: a rejection of our valid receipts, another status, a changed receipt_id. */
    final Queue<String> violations = new ConcurrentLinkedQueue<>();
    /** 503 answers without Retry-After or without problem+json. */
    final Queue<String> bad503s = new ConcurrentLinkedQueue<>();

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    private final int batchSize;

    private ReceiptLoad(AtomicReference<JarNode> node, int batchSize) {
        this.node = node;
        this.batchSize = batchSize;
    }

    /** Starts one loader thread per client. */
    static ReceiptLoad start(AtomicReference<JarNode> node, List<LoadClient> clients, int batchSize, int receiptsPerChallenge) {
        ReceiptLoad load = new ReceiptLoad(node, batchSize);
        for (LoadClient client : clients) {
            Thread t = Thread.ofPlatform().name("load-" + client.did).start(() -> load.run(client, receiptsPerChallenge));
            load.threads.add(t);
        }
        return load;
    }

    private void run(LoadClient client, int receiptsPerChallenge) {
        Deque<String> fresh = new ArrayDeque<>();
        List<String> retry = null;
        while (true) {
            List<String> batch;
            if (retry != null) {
                batch = retry;
            } else if (stopping) {
                return;
            } else {
                if (fresh.isEmpty() && !refill(client, fresh, receiptsPerChallenge)) {
                    pause();
                    continue;
                }
                batch = new ArrayList<>();
                while (batch.size() < batchSize && !fresh.isEmpty()) {
                    batch.add(fresh.poll());
                }
            }
            if (retry != null) {
                retriedBatches.incrementAndGet();
            }
            retry = submit(client, batch) ? null : batch;
            if (retry != null) {
                pause();
            }
        }
    }

    private boolean refill(LoadClient client, Deque<String> fresh, int receiptsPerChallenge) {
        try {
            Bytes[] challenge = client.challenge(node.get());
            fresh.addAll(client.receipts(challenge, receiptsPerChallenge));
            return true;
        } catch (IOException | AssertionError e) {
            return false; // node down or database out: try again shortly
        }
    }

    /** True when the batch was answered for good. */
    private boolean submit(LoadClient client, List<String> batch) {
        batches.incrementAndGet();
        LoadClient.Answer answer;
        try {
            answer = LoadClient.submit(node.get().port, client.batch(batch), 60_000);
        } catch (IOException e) {
            lostAnswers.incrementAndGet();
            return false;
        }
        if (answer.status() == 200) {
            answered200.incrementAndGet();
            List<LoadClient.Accepted> ok = LoadClient.accepted(answer.body());
            if (ok.size() != batch.size() || !LoadClient.rejected(answer.body()).isEmpty()) {
                violations.add("valid receipts not all accepted: " + answer.body());
            }
            for (LoadClient.Accepted a : ok) {
                String previous = accepted.putIfAbsent(a.nonce(), a.receiptId());
                if (previous != null && !previous.equals(a.receiptId())) {
                    violations.add("receipt_id changed for " + a.nonce() + ": " + previous + " then " + a.receiptId());
                }
                if (a.reward() != LoadClient.REWARD) {
                    violations.add("reward " + a.reward() + " for " + a.nonce());
                }
                if (a.replayed()) {
                    replayedAnswers.incrementAndGet();
                } else {
                    freshAcceptances.merge(a.nonce(), 1, Integer::sum);
                }
            }
            return true;
        }
        if (RETRIED.contains(answer.status())) {
            (answer.status() == 503 ? answered503 : answered429).incrementAndGet();
            if (answer.status() == 503) {
                max503Millis.accumulateAndGet(answer.millis(), Math::max);
                if (answer.retryAfter() == null || answer.contentType() == null || !answer.contentType().startsWith("application/problem+json")) {
                    bad503s.add("Retry-After=" + answer.retryAfter() + ", Content-Type=" + answer.contentType() + ": " + answer.body());
                }
            }
            return false;
        }
        violations.add("status " + answer.status() + ": " + answer.body());
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until at least {@code n} receipts have been answered accepted in total. */
    void awaitAccepted(int n) throws InterruptedException {
        while (accepted.size() < n) {
            if (threads.stream().noneMatch(Thread::isAlive)) {
                throw new IllegalStateException("every loader stopped");
            }
            if (!violations.isEmpty()) {
                throw new AssertionError("violations: " + violations);
            }
            Thread.sleep(50);
        }
    }

    /** Stops taking new receipts and waits until every pending batch has been answered. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Thread t : threads) {
            t.join();
        }
    }
}
