package network.sovereign.pouw.adapters.admin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogTextAndPathTest {

    @Test
    void control_characters_cannot_forge_log_lines() {
        assertEquals("did:x:a?INFO forged", LogText.safe("did:x:a\nINFO forged"));
        assertEquals("-", LogText.safe(null));
        assertEquals(301, LogText.safe("a".repeat(1000)).length());
    }

    @Test
    void a_did_stays_readable_in_a_location_and_anything_else_is_percent_encoded() {
        assertEquals("did:zhtp:00ff", AdminClientsHttpService.pathSegment("did:zhtp:00ff"));
        assertEquals("did:x:a%2Fb%20c%C3%A9", AdminClientsHttpService.pathSegment("did:x:a/b cé"));
    }
}
