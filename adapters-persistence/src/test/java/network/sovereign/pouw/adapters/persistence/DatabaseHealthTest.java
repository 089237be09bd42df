package network.sovereign.pouw.adapters.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.sovereign.pouw.application.port.out.ComponentHealth;
import network.sovereign.pouw.application.port.out.HealthIndicator;
import network.sovereign.pouw.application.port.out.AcceptedReceipt;
import network.sovereign.pouw.application.port.out.ClientDirectory;
import network.sovereign.pouw.application.port.out.ReceiptLedger;
import network.sovereign.pouw.application.port.out.RejectedReceipt;
import network.sovereign.pouw.application.port.out.StoreUnavailableException;
import network.sovereign.pouw.domain.Bytes;
import network.sovereign.pouw.domain.Challenge;
import network.sovereign.pouw.domain.ProofType;
import network.sovereign.pouw.domain.RejectionReason;
import network.sovereign.pouw.domain.SigScheme;
import network.sovereign.pouw.domain.SignedReceipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code database} health component and fail-fast behaviour: healthy on live databases, unhealthy
 * within seconds when the database is gone, healthy again when it is back, and start-up that fails
 * with one line instead of hanging.
 */
class DatabaseHealthTest {

    /** Generous bound for "within a few seconds" (connection timeout 2 s + query timeout) on a busy CI machine. */
    private static final Duration FEW_SECONDS = Duration.ofSeconds(8);

    private static TestDatabase postgres;

    @BeforeAll
    static void createPostgres() {
        postgres = TestDatabase.postgres();
        Persistence.migrate(postgres.settings());
    }

    @AfterAll
    static void dropPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void postgres_is_healthy_and_says_which_version_answered_how_fast() {
        try (Persistence persistence = Persistence.start(postgres.settings())) {
            HealthIndicator health = persistence.databaseHealth();
            ComponentHealth result = health.check();

            assertEquals("database", health.componentName());
            assertTrue(health.requiredForReadiness());
            assertEquals(ComponentHealth.Status.HEALTHY, result.status(), result::message);
            assertTrue(result.message().matches("PostgreSQL \\d+(\\.\\d+)* answered in \\d+ ms"), result::message);
            assertTrue(persistence.databaseProduct().startsWith("PostgreSQL "), persistence::databaseProduct);
            // The driver defaults reach the server (pg_stat_activity shows who is connected).
            assertEquals("pouw-node", persistence.dsl().fetchValue("select current_setting('application_name')"));
        }
    }

    @Test
    void h2_is_healthy(@TempDir Path dataDir) {
        try (Persistence persistence = Persistence.start(PersistenceSettings.h2(dataDir))) {
            ComponentHealth result = persistence.databaseHealth().check();

            assertEquals(ComponentHealth.Status.HEALTHY, result.status(), result::message);
            assertTrue(result.message().matches("H2 2\\.\\d+\\.\\d+ answered in \\d+ ms"), result::message);
        }
    }

    @Test
    void an_unreachable_database_is_unhealthy_within_seconds_with_a_one_line_reason() {
        PersistenceSettings closedPort = PersistenceSettings.of("jdbc:postgresql://127.0.0.1:" + closedPort() + "/pouw", "postgres", "secret");
        try (Persistence persistence = Persistence.open(closedPort, ConnectionPools.Mode.LENIENT)) {
            ComponentHealth result = assertTimeoutPreemptively(FEW_SECONDS, () -> persistence.databaseHealth().check());

            assertEquals(ComponentHealth.Status.UNHEALTHY, result.status(), result::message);
            assertOneLine(result.message());
            assertTrue(result.message().contains("refused"), result::message);
        }
    }

    @Test
    void store_calls_on_an_unreachable_database_fail_with_store_unavailable() {
        PersistenceSettings closedPort = PersistenceSettings.of("jdbc:postgresql://127.0.0.1:" + closedPort() + "/pouw", "postgres", null);
        try (Persistence persistence = Persistence.open(closedPort, ConnectionPools.Mode.LENIENT)) {
            StoreUnavailableException e = assertTimeoutPreemptively(FEW_SECONDS, () -> assertThrows(StoreUnavailableException.class,
                    () -> persistence.retentionStore().purgeNoncesCreatedBefore(Instant.now(), false)));
            assertOneLine(e.getMessage());
        }
    }

    @Test
    void start_and_migrate_fail_fast_with_one_line_that_hides_the_password() {
        int port = closedPort();
        PersistenceSettings closedPort = PersistenceSettings.of(
                "jdbc:postgresql://127.0.0.1:" + port + "/pouw?password=hunter2", "postgres", "hunter2");

        for (Runnable attempt : new Runnable[] {() -> Persistence.start(closedPort), () -> Persistence.migrate(closedPort)}) {
            PersistenceStartupException e = assertTimeoutPreemptively(FEW_SECONDS,
                    () -> assertThrows(PersistenceStartupException.class, attempt::run));
            assertOneLine(e.getMessage());
            assertTrue(e.getMessage().contains("jdbc:postgresql://127.0.0.1:" + port + "/pouw?password=***"), e::getMessage);
            assertTrue(e.getMessage().contains("refused"), e::getMessage);
            assertFalse(e.getMessage().contains("hunter2"), e::getMessage);
            assertTrue(e.databaseUnavailable(), "worth retrying");
        }
    }

    @Test
    void a_database_that_answers_but_refuses_the_login_is_not_reported_as_unavailable() {
        PersistenceSettings unknownRole = PersistenceSettings.of(postgres.settings().jdbcUrl(), "no_such_role_pouw", "x");

        PersistenceStartupException e = assertThrows(PersistenceStartupException.class, () -> Persistence.start(unknownRole));

        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains("no_such_role_pouw"), e::getMessage);
        assertFalse(e.databaseUnavailable(), "waiting does not fix a wrong user");
    }

    @Test
    void the_database_going_away_and_coming_back_needs_no_restart() {
        Matcher server = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/").matcher(postgres.settings().jdbcUrl());
        assertTrue(server.lookingAt(), postgres.settings().jdbcUrl());
        try (TcpProxy proxy = TcpProxy.start(server.group(1), server.group(2) == null ? 5432 : Integer.parseInt(server.group(2)))) {
            PersistenceSettings viaProxy = PersistenceSettings.of(
                    postgres.settings().jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/"),
                    postgres.settings().user(), postgres.settings().password());
            try (Persistence persistence = Persistence.start(viaProxy)) {
                HealthIndicator health = persistence.databaseHealth();
                assertEquals(ComponentHealth.Status.HEALTHY, health.check().status());

                proxy.cut();
                ComponentHealth down = assertTimeoutPreemptively(FEW_SECONDS, health::check);
                assertEquals(ComponentHealth.Status.UNHEALTHY, down.status(), down::message);
                assertThrows(StoreUnavailableException.class,
                        () -> persistence.retentionStore().purgeChallengesExpiredBefore(Instant.now(), true));

                proxy.restore();
                ComponentHealth up = awaitStatus(health::check, ComponentHealth.Status.HEALTHY, Duration.ofSeconds(15));
                assertEquals(ComponentHealth.Status.HEALTHY, up.status(), up::message);
                assertEquals(0, persistence.retentionStore().purgeChallengesExpiredBefore(Instant.now(), true));
            }
        }
    }

    @Test
    void the_protocol_stores_answer_store_unavailable_while_the_database_is_gone_and_recover_without_restart() {
        Matcher server = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/").matcher(postgres.settings().jdbcUrl());
        assertTrue(server.lookingAt(), postgres.settings().jdbcUrl());
        String did = "did:sov:outage";
        try (TcpProxy proxy = TcpProxy.start(server.group(1), server.group(2) == null ? 5432 : Integer.parseInt(server.group(2)))) {
            PersistenceSettings viaProxy = PersistenceSettings.of(
                    postgres.settings().jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/"),
                    postgres.settings().user(), postgres.settings().password())
                    // A short connection timeout: each of the calls below waits that long for a connection.
                    .withPool(4, Duration.ofMillis(500));
            try (Persistence persistence = Persistence.start(viaProxy)) {
                ClientDirectory clients = persistence.clientDirectory();
                ReceiptLedger ledger = persistence.receiptLedger();
                clients.enrol(ProtocolFixtures.key(did, SigScheme.ED25519, 1), ProtocolFixtures.T0);
                Challenge challenge = ProtocolFixtures.challenge(did, 10, 1_000_000L, List.of(ProofType.HASH));
                persistence.challengeStore().save(challenge);
                SignedReceipt signed = ProtocolFixtures.receipt(challenge, 4096);
                AcceptedReceipt accepted = ProtocolFixtures.accepted("rcpt-outage", signed, ProtocolFixtures.T0);

                proxy.cut();
                List<Executable> calls = List.of(
                        () -> ledger.accept(accepted),
                        () -> ledger.findByNonce(signed.receipt().receiptNonce()),
                        () -> ledger.recordRejection(new RejectedReceipt("rej-outage", Optional.of(did), Optional.empty(),
                                Optional.empty(), RejectionReason.MALFORMED_RECEIPT, "x", "", Bytes.EMPTY, Bytes.EMPTY, ProtocolFixtures.T0, false)),
                        () -> persistence.challengeStore().find(challenge.token().challengeNonce()),
                        () -> persistence.challengeStore().save(ProtocolFixtures.challenge(did, 1, 1, List.of())),
                        () -> clients.findKey(did),
                        () -> clients.isBlocked(did),
                        () -> clients.enrol(ProtocolFixtures.key(did, SigScheme.ED25519, 2), ProtocolFixtures.T0));
                for (Executable call : calls) {
                    StoreUnavailableException e = assertTimeoutPreemptively(FEW_SECONDS,
                            () -> assertThrows(StoreUnavailableException.class, call));
                    assertOneLine(e.getMessage());
                }

                proxy.restore();
                awaitStatus(persistence.databaseHealth()::check, ComponentHealth.Status.HEALTHY, Duration.ofSeconds(15));
                assertEquals(Optional.empty(), ledger.findByNonce(signed.receipt().receiptNonce()),
                        "the failed accept consumed nothing");
                assertInstanceOf(ReceiptLedger.AcceptResult.Stored.class, ledger.accept(accepted));
                assertEquals(1, persistence.challengeStore().find(challenge.token().challengeNonce()).orElseThrow().usedReceipts());
            }
        }
    }

    @Test
    void a_hung_database_is_unhealthy_within_seconds_while_every_pooled_connection_hangs_on_it_and_the_hung_calls_fail_bounded()
            throws Exception {
        Matcher server = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/").matcher(postgres.settings().jdbcUrl());
        assertTrue(server.lookingAt(), postgres.settings().jdbcUrl());
        try (TcpProxy proxy = TcpProxy.start(server.group(1), server.group(2) == null ? 5432 : Integer.parseInt(server.group(2)))) {
            PersistenceSettings viaProxy = PersistenceSettings.of(
                    postgres.settings().jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/"),
                    postgres.settings().user(), postgres.settings().password())
                    .withPool(2, Duration.ofSeconds(2))
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3));
            try (Persistence persistence = Persistence.start(viaProxy)) {
                HealthIndicator health = persistence.databaseHealth();
                assertEquals(ComponentHealth.Status.HEALTHY, health.check().status());

                proxy.freeze();
                // Every pooled connection hangs in a read on the frozen link.
                List<java.util.concurrent.CompletableFuture<Long>> hung = new java.util.ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    var call = new java.util.concurrent.CompletableFuture<Long>();
                    hung.add(call);
                    Thread.ofPlatform().start(() -> {
                        long started = System.nanoTime();
                        try {
                            persistence.retentionStore().purgeChallengesExpiredBefore(Instant.now(), true);
                            call.completeExceptionally(new AssertionError("answered on a frozen link"));
                        } catch (StoreUnavailableException expected) {
                            call.complete((System.nanoTime() - started) / 1_000_000);
                        } catch (RuntimeException | Error e) {
                            call.completeExceptionally(e);
                        }
                    });
                }
                Thread.sleep(300);
                long started = System.nanoTime();
                ComponentHealth down = assertTimeoutPreemptively(Duration.ofSeconds(5), health::check);
                long checkMs = (System.nanoTime() - started) / 1_000_000;
                assertEquals(ComponentHealth.Status.UNHEALTHY, down.status(), down::message);
                assertOneLine(down.message());
                for (var call : hung) {
                    long ms = call.get(10, java.util.concurrent.TimeUnit.SECONDS);
                    // The socket timeout (3 s) ends the hung read, not the end of the freeze.
                    assertTrue(ms < 6_000, "a hung call failed after " + ms + " ms");
                    System.out.println("database.hung call_failed_after_ms=" + ms);
                }
                System.out.println("database.hung health_unhealthy_after_ms=" + checkMs);

                proxy.restore();
                ComponentHealth up = awaitStatus(health::check, ComponentHealth.Status.HEALTHY, Duration.ofSeconds(15));
                assertEquals(ComponentHealth.Status.HEALTHY, up.status(), up::message);
                assertEquals(0, persistence.retentionStore().purgeChallengesExpiredBefore(Instant.now(), true));
            }
        }
    }

    @Test
    void the_statement_timeout_reaches_the_server_and_ends_a_slow_statement_as_store_unavailable() {
        PersistenceSettings settings = postgres.settings().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5));
        try (Persistence persistence = Persistence.start(settings)) {
            assertEquals("1s", persistence.dsl().fetchValue("show statement_timeout"));
            assertEquals(Integer.valueOf(5_000), persistence.dsl().connectionResult(c -> c.getNetworkTimeout()));
            long started = System.nanoTime();
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                    () -> persistence.access().call("sleep", dsl -> dsl.fetch("select pg_sleep(4)")));
            long ms = (System.nanoTime() - started) / 1_000_000;
            assertTrue(ms < 3_000, "cancelled after " + ms + " ms");
            assertOneLine(e.getMessage());
        }
        try (Persistence persistence = Persistence.start(postgres.settings())) {
            assertEquals("10s", persistence.dsl().fetchValue("show statement_timeout"), "the default");
            // The socket timeout reaches the driver (as an Integer data source property it was silently dropped).
            assertEquals(Integer.valueOf(15_000), persistence.dsl().connectionResult(c -> c.getNetworkTimeout()), "the default socket timeout");
        }
    }

    @Test
    void h2_sessions_get_the_statement_timeout_too(@TempDir Path dataDir) {
        PersistenceSettings settings = PersistenceSettings.h2(dataDir).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(5));
        try (Persistence persistence = Persistence.start(settings)) {
            assertEquals("3000", String.valueOf(persistence.dsl().fetchValue(
                    "select setting_value from information_schema.settings where setting_name = 'QUERY_TIMEOUT'")));
        }
    }

    @Test
    void a_saturated_pool_is_degraded_not_unhealthy() {
        PersistenceSettings oneConnection = postgres.settings().withPool(1, Duration.ofMillis(300));
        try (Persistence persistence = Persistence.start(oneConnection)) {
            HealthIndicator health = persistence.databaseHealth();
            ComponentHealth whileBusy = persistence.dsl().connectionResult(busy -> health.check());

            assertEquals(ComponentHealth.Status.DEGRADED, whileBusy.status(), whileBusy::message);
            assertTrue(whileBusy.message().startsWith("all 1 pooled connections busy"), whileBusy::message);
            assertEquals(ComponentHealth.Status.HEALTHY, health.check().status());
        }
    }

    @Test
    void pool_statistics_follow_the_pool() {
        PersistenceSettings settings = postgres.settings().withPool(3, Duration.ofSeconds(2));
        Persistence persistence = Persistence.start(settings);
        PoolStatistics pool = persistence.poolStatistics();
        try {
            assertEquals(3, pool.max());
            assertEquals(0, pool.active());
            persistence.dsl().connection(c -> {
                assertEquals(1, pool.active());
                assertTrue(pool.total() >= 1 && pool.total() <= 3, () -> "total " + pool.total());
                assertEquals(pool.total() - 1, pool.idle());
            });
            assertEquals(0, pool.pendingThreads());
        } finally {
            persistence.close();
        }
        assertEquals(0, pool.total(), "a closed pool has no connections");
    }

    private static ComponentHealth awaitStatus(Supplier<ComponentHealth> check, ComponentHealth.Status wanted, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        ComponentHealth last = check.get();
        while (last.status() != wanted && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            last = check.get();
        }
        return last;
    }

    private static void assertOneLine(String message) {
        assertFalse(message.contains("\n") || message.contains("\r"), () -> "not one line: " + message);
        assertFalse(message.contains("\tat ") || message.matches(".*\\bat [a-z]+\\.[a-z]+.*\\(.*\\.java:\\d+\\).*"),
                () -> "stack trace in: " + message);
        assertTrue(message.length() <= 600, () -> "too long: " + message);
    }

    /** A local port nothing listens on. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
