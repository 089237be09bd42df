package network.sovereign.pouw.adapters.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Group commit: callers that queue while a group commits share the next group, and each hears only its own answer. */
class GroupCommitTest {

    @Test
    void items_queued_while_a_group_commits_form_the_next_group_and_each_caller_gets_its_own_answer() throws Exception {
        CountDownLatch firstEntered = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, String> commit = new GroupCommit<>(1, 100, group -> {
            groups.add(group.stream().map(GroupCommit.Pending::item).toList());
            if (group.getFirst().item() == 0) {
                firstEntered.countDown();
                awaitQuietly(releaseFirst);
            }
            for (var pending : group) {
                if (pending.item() % 5 == 0 && pending.item() > 0) {
                    pending.answer().completeExceptionally(new IllegalArgumentException("refused " + pending.item()));
                } else {
                    pending.answer().complete("stored " + pending.item());
                }
            }
        });
        Map<Integer, Object> answers = new ConcurrentHashMap<>();
        List<Thread> callers = new ArrayList<>();
        callers.add(caller(commit, 0, answers));
        firstEntered.await();
        for (int i = 1; i <= 20; i++) {
            callers.add(caller(commit, i, answers));
        }
        while (commit.queued() < 20) {
            Thread.sleep(1);
        }
        releaseFirst.countDown();
        for (Thread t : callers) {
            t.join();
        }

        assertEquals(2, groups.size(), "one group for the first caller, one for the twenty that queued meanwhile: " + groups);
        assertEquals(20, groups.get(1).size());
        for (int i = 0; i <= 20; i++) {
            if (i % 5 == 0 && i > 0) {
                IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, answers.get(i));
                assertEquals("refused " + i, e.getMessage());
            } else {
                assertEquals("stored " + i, answers.get(i));
            }
        }
    }

    @Test
    void a_committer_that_fails_fails_every_item_of_its_group_and_one_that_forgets_an_item_fails_that_item() {
        IllegalStateException boom = new IllegalStateException("database gone");
        GroupCommit<Integer, String> failing = new GroupCommit<>(2, 10, group -> {
            throw boom;
        });
        assertSame(boom, assertThrows(IllegalStateException.class, () -> failing.submit(1)));

        GroupCommit<Integer, String> forgetful = new GroupCommit<>(2, 10, group -> {
        });
        IllegalStateException forgotten = assertThrows(IllegalStateException.class, () -> forgetful.submit(1));
        assertTrue(forgotten.getMessage().contains("unanswered"));
    }

    @Test
    void a_caller_alone_is_committed_in_a_group_of_one() {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, String> commit = new GroupCommit<>(4, 64, group -> {
            sizes.add(group.size());
            group.forEach(p -> p.answer().complete("ok"));
        });
        for (int i = 0; i < 3; i++) {
            assertEquals("ok", commit.submit(i));
        }
        assertEquals(List.of(1, 1, 1), sizes);
        assertThrows(IllegalArgumentException.class, () -> new GroupCommit<Integer, String>(0, 1, g -> { }));
    }

    @Test
    void an_outage_fails_what_is_queued_behind_it_at_once_when_asked_to_and_only_then() throws Exception {
        for (boolean failFast : new boolean[] {true, false}) {
            CountDownLatch firstEntered = new CountDownLatch(1);
            CountDownLatch releaseFirst = new CountDownLatch(1);
            IllegalStateException outage = new IllegalStateException("database gone");
            List<Integer> groups = Collections.synchronizedList(new ArrayList<>());
            GroupCommit<Integer, String> reads = new GroupCommit<>(1, 1, group -> {
                groups.add(group.getFirst().item());
                if (group.getFirst().item() == 0) {
                    firstEntered.countDown();
                    awaitQuietly(releaseFirst);
                }
                throw outage;
            }, failure -> failFast && failure == outage);
            Map<Integer, Object> answers = new ConcurrentHashMap<>();
            List<Thread> callers = new ArrayList<>();
            callers.add(caller(reads, 0, answers));
            firstEntered.await();
            for (int i = 1; i <= 5; i++) {
                callers.add(caller(reads, i, answers));
            }
            while (reads.queued() < 5) {
                Thread.sleep(1);
            }
            releaseFirst.countDown();
            for (Thread t : callers) {
                t.join();
            }

            for (int i = 0; i <= 5; i++) {
                assertSame(outage, answers.get(i), "caller " + i);
            }
            assertEquals(failFast ? 1 : 6, groups.size(), (failFast ? "the queued five never ran: " : "each ran on its own: ") + groups);
            assertEquals(0, reads.queued());
        }
    }

    @Test
    void a_caller_that_gets_no_lane_within_the_lane_wait_leaves_the_queue_unanswered_by_the_committer() throws Exception {
        CountDownLatch firstEntered = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        IllegalStateException timeout = new IllegalStateException("no lane");
        List<Integer> committed = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, String> reads = new GroupCommit<>(1, 64, group -> {
            group.forEach(p -> committed.add(p.item()));
            if (group.getFirst().item() == 0) {
                firstEntered.countDown();
                awaitQuietly(releaseFirst); // a statement hung on the database
            }
            group.forEach(p -> p.answer().complete("ok " + p.item()));
        }, failure -> false, 200_000_000L, () -> timeout);
        Map<Integer, Object> answers = new ConcurrentHashMap<>();
        Thread first = caller(reads, 0, answers);
        firstEntered.await();
        Thread second = caller(reads, 1, answers);
        second.join(); // returns while the first is still stuck
        assertSame(timeout, answers.get(1));
        assertEquals(0, reads.queued(), "the timed-out item left the queue");
        releaseFirst.countDown();
        first.join();
        assertEquals("ok 0", answers.get(0));
        assertEquals(List.of(0), committed, "the timed-out item was never committed");
        assertEquals("ok 2", reads.submit(2), "a lane is free again");
    }

    private static Thread caller(GroupCommit<Integer, String> commit, int item, Map<Integer, Object> answers) {
        return Thread.ofVirtual().start(() -> {
            try {
                answers.put(item, commit.submit(item));
            } catch (RuntimeException e) {
                answers.put(item, e);
            }
        });
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T assertInstanceOf(Class<T> type, Object value) {
        return org.junit.jupiter.api.Assertions.assertInstanceOf(type, value);
    }
}
