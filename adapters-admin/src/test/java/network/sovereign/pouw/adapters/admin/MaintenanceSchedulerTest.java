package network.sovereign.pouw.adapters.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import network.sovereign.pouw.application.port.in.MaintenanceTask;
import network.sovereign.pouw.application.port.in.RunMaintenanceUseCase;
import org.junit.jupiter.api.Test;

class MaintenanceSchedulerTest {

    @Test
    void runs_repeatedly_and_survives_a_failing_run() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch threeRuns = new CountDownLatch(3);
        RunMaintenanceUseCase job = command -> {
            int n = calls.incrementAndGet();
            threeRuns.countDown();
            if (n == 1) {
                throw new IllegalStateException("database hiccup");
            }
            return new RunMaintenanceUseCase.MaintenanceOutcome.Completed(Map.of(MaintenanceTask.PURGE_NONCES, 1L), false);
        };
        try (MaintenanceScheduler scheduler = new MaintenanceScheduler(job, Duration.ofMillis(20), Duration.ZERO)) {
            scheduler.start();
            assertTrue(threeRuns.await(10, TimeUnit.SECONDS), "the job kept running after its first run failed");
        }
        int afterClose = calls.get();
        Thread.sleep(100);
        assertEquals(afterClose, calls.get(), "no run after close");
    }

    @Test
    void a_run_asks_for_every_task_for_real() {
        RunMaintenanceUseCase.RunMaintenanceCommand[] seen = new RunMaintenanceUseCase.RunMaintenanceCommand[1];
        RunMaintenanceUseCase job = command -> {
            seen[0] = command;
            return new RunMaintenanceUseCase.MaintenanceOutcome.Busy();
        };
        try (MaintenanceScheduler scheduler = new MaintenanceScheduler(job, Duration.ofHours(24), Duration.ofHours(1))) {
            scheduler.runOnce();
        }
        assertEquals(java.util.EnumSet.allOf(MaintenanceTask.class), seen[0].tasks());
        assertEquals(false, seen[0].dryRun());
    }
}
