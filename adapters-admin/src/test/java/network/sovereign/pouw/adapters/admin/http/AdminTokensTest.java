package network.sovereign.pouw.adapters.admin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminTokensTest {

    private static final String ALICE_TOKEN = "alice-secret-token-0123456789";
    private static final String BOB_TOKEN = "bob-secret-token-abcdefghijkl";

    private static AdminTokens aliceAndBob() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("alice", ALICE_TOKEN);
        tokens.put("bob", BOB_TOKEN);
        return AdminTokens.of(tokens);
    }

    @Test
    void the_comparator_accepts_equal_tokens() {
        assertTrue(AdminTokens.constantTimeEquals(ALICE_TOKEN, new String(ALICE_TOKEN.toCharArray())));
    }

    @Test
    void the_comparator_refuses_unequal_tokens_of_the_same_length() {
        String flipped = ALICE_TOKEN.substring(0, ALICE_TOKEN.length() - 1) + "X";
        assertEquals(ALICE_TOKEN.length(), flipped.length());
        assertFalse(AdminTokens.constantTimeEquals(flipped, ALICE_TOKEN));
    }

    @Test
    void the_comparator_refuses_tokens_of_another_length_including_prefixes_and_the_empty_token() {
        assertFalse(AdminTokens.constantTimeEquals(ALICE_TOKEN.substring(0, 10), ALICE_TOKEN));
        assertFalse(AdminTokens.constantTimeEquals(ALICE_TOKEN + "x", ALICE_TOKEN));
        assertFalse(AdminTokens.constantTimeEquals("", ALICE_TOKEN));
    }

    @Test
    void a_presented_token_is_matched_to_its_name() {
        AdminTokens tokens = aliceAndBob();
        assertEquals(Optional.of("alice"), tokens.nameOf(ALICE_TOKEN));
        assertEquals(Optional.of("bob"), tokens.nameOf(BOB_TOKEN));
    }

    @Test
    void an_unknown_a_prefix_or_an_empty_token_matches_no_name() {
        AdminTokens tokens = aliceAndBob();
        assertEquals(Optional.empty(), tokens.nameOf("not-a-token-at-all-0000000000"));
        assertEquals(Optional.empty(), tokens.nameOf(ALICE_TOKEN.substring(0, 5)));
        assertEquals(Optional.empty(), tokens.nameOf(""));
        assertEquals(Optional.empty(), tokens.nameOf(ALICE_TOKEN.toUpperCase(java.util.Locale.ROOT)));
    }

    @Test
    void to_string_and_names_show_names_only() {
        AdminTokens tokens = aliceAndBob();
        assertEquals(List.of("alice", "bob"), List.copyOf(tokens.names()));
        String text = tokens.toString();
        assertTrue(text.contains("alice") && text.contains("bob"), text);
        assertFalse(text.contains(ALICE_TOKEN) || text.contains(BOB_TOKEN), text);
    }

    @Test
    void an_empty_set_a_blank_token_or_a_blank_name_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> AdminTokens.of(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> AdminTokens.of(Map.of("alice", "  ")));
        assertThrows(IllegalArgumentException.class, () -> AdminTokens.of(Map.of(" ", ALICE_TOKEN)));
        assertThrows(IllegalArgumentException.class, () -> AdminTokens.of(Map.of("ali\nce", ALICE_TOKEN)));
    }

    @Test
    void two_names_sharing_one_token_are_refused_without_echoing_the_token() {
        Map<String, String> shared = new LinkedHashMap<>();
        shared.put("alice", ALICE_TOKEN);
        shared.put("mallory", ALICE_TOKEN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdminTokens.of(shared));
        assertTrue(e.getMessage().contains("alice") && e.getMessage().contains("mallory"), e.getMessage());
        assertFalse(e.getMessage().contains(ALICE_TOKEN), e.getMessage());
    }
}
