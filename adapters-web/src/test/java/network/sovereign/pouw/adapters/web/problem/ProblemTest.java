package network.sovereign.pouw.adapters.web.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void a_plain_problem_is_about_blank_with_the_reason_phrase_as_title() {
        Problem problem = Problem.of(404, "no resource at this path");
        assertEquals("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                + "\"detail\":\"no resource at this path\"}", json(problem));
    }

    @Test
    void a_problem_with_a_reason_names_it_in_type_and_reason() {
        Problem problem = Problem.withReason(401, "unknown_client", "the DID is not enrolled");
        assertEquals("{\"type\":\"urn:pouw:problem:unknown_client\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"the DID is not enrolled\",\"reason\":\"unknown_client\"}", json(problem));
    }

    @Test
    void retry_after_is_whole_seconds_rounded_up_and_never_zero() {
        assertEquals(Map.of("Retry-After", "5"), Problem.serviceUnavailable(Duration.ofSeconds(5)).headers());
        assertEquals("2", Problem.tooManyRequests(Duration.ofMillis(1_001), "slow down").headers().get("Retry-After"));
        assertEquals("1", Problem.tooManyRequests(Duration.ZERO, "slow down").headers().get("Retry-After"));
        assertEquals("rate_limited", Problem.tooManyRequests(Duration.ofSeconds(3), "slow down").reason().orElseThrow());
    }

    @Test
    void only_error_statuses_make_problems() {
        assertThrows(IllegalArgumentException.class, () -> Problem.of(200, "fine"));
        assertThrows(IllegalArgumentException.class, () -> Problem.of(600, "odd"));
    }

    @Test
    void headers_accumulate() {
        Problem problem = Problem.methodNotAllowed("GET").withHeader("X-Extra", "1");
        assertEquals(Map.of("Allow", "GET", "X-Extra", "1"), problem.headers());
    }

    private static String json(Problem problem) {
        return new String(ProblemWriter.body(problem), StandardCharsets.UTF_8);
    }
}
