package network.sovereign.pouw.adapters.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.BadRequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import network.sovereign.pouw.application.port.in.ManageSettingsUseCase;
import network.sovereign.pouw.application.port.in.ManageSettingsUseCase.KnobState;
import network.sovereign.pouw.application.port.in.ManageSettingsUseCase.SettingsView;
import network.sovereign.pouw.application.port.in.ManageSettingsUseCase.UpdateResult;
import network.sovereign.pouw.application.port.in.ManageSettingsUseCase.UpdateSettingsCommand;
import network.sovereign.pouw.application.port.in.SettingKnob;

/**
 * The live settings routes, registered under {@code /api/v1/admin}: {@code GET /settings} shows each
 * knob's value in force, its source ({@code config} or {@code override}) and configured value;
 * {@code PATCH /settings} sets ({@code 600}) or removes ({@code null}) overrides, optionally for
 * {@code expires_in_secs}. Every route needs an admin bearer token.
 */
public final class AdminSettingsHttpService implements HttpService {

    private static final System.Logger LOG = System.getLogger(AdminSettingsHttpService.class.getName());

    private static final String EXPIRES_IN_SECS = "expires_in_secs";

    private final BearerAuthentication authentication;
    private final ManageSettingsUseCase settings;

    /**
     * Creates the service.
     *
     * @param authentication the admin bearer check, run before every route of this service
     * @param settings       shows and changes the overrides
     */
    public AdminSettingsHttpService(BearerAuthentication authentication, ManageSettingsUseCase settings) {
        this.authentication = Objects.requireNonNull(authentication, "authentication");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void routing(HttpRules rules) {
        // Authentication first, for every path of this service: it cannot be forgotten in the wiring.
        rules.any(authentication)
                .get("/settings", this::show)
                .patch("/settings", this::change);
    }

    private void show(ServerRequest req, ServerResponse res) {
        BearerAuthentication.actor(req);
        JsonBodies.send(res, Status.OK_200, render(settings.view()));
    }

    private void change(ServerRequest req, ServerResponse res) {
        AdminActor actor = BearerAuthentication.actor(req);
        ObjectNode body = JsonBodies.readObjectLeniently(req);
        Map<SettingKnob, OptionalLong> changes = new EnumMap<>(SettingKnob.class);
        OptionalLong expiresIn = OptionalLong.empty();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(EXPIRES_IN_SECS)) {
                expiresIn = field.getValue().isNull() ? OptionalLong.empty() : OptionalLong.of(integer(field.getKey(), field.getValue()));
                continue;
            }
            SettingKnob knob = SettingKnob.fromWireName(field.getKey()).orElseThrow(() -> new BadRequestException(
                    "unknown field \"" + LogText.safe(field.getKey()) + "\"; PATCH /settings takes " + fieldNames()));
            changes.put(knob, field.getValue().isNull() ? OptionalLong.empty() : OptionalLong.of(integer(field.getKey(), field.getValue())));
        }
        switch (settings.update(new UpdateSettingsCommand(changes, expiresIn, actor.name()))) {
            case UpdateResult.Updated updated -> {
                LOG.log(Level.INFO, "admin update_settings by {0}: {1}", actor.name(), describe(changes, expiresIn));
                JsonBodies.send(res, Status.OK_200, render(updated.view()));
            }
            case UpdateResult.Invalid invalid -> throw new BadRequestException(invalid.detail());
        }
    }

    private static long integer(String field, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new BadRequestException("\"" + LogText.safe(field) + "\" must be an integer"
                    + (field.equals(EXPIRES_IN_SECS) ? "" : " (or null to remove the override)"));
        }
        return value.longValue();
    }

    private static String fieldNames() {
        return Arrays.stream(SettingKnob.values()).map(SettingKnob::wireName).toList() + " and " + EXPIRES_IN_SECS;
    }

    private static String describe(Map<SettingKnob, OptionalLong> changes, OptionalLong expiresIn) {
        StringBuilder text = new StringBuilder();
        changes.forEach((knob, value) -> text.append(text.isEmpty() ? "" : ", ").append(knob.wireName()).append('=')
                .append(value.isPresent() ? Long.toString(value.getAsLong()) : "config"));
        expiresIn.ifPresent(secs -> text.append(" for ").append(secs).append(" s"));
        return text.toString();
    }

    /** {@code {"settings": {knob: {value, source, config_value, expires_at?, updated_by?}}, "warning"?}}. */
    static ObjectNode render(SettingsView view) {
        ObjectNode answer = JsonBodies.object();
        ObjectNode knobs = answer.putObject("settings");
        for (KnobState state : view.knobs()) {
            ObjectNode knob = knobs.putObject(state.knob().wireName())
                    .put("value", state.value())
                    .put("source", state.overridden() ? "override" : "config")
                    .put("config_value", state.configValue());
            state.expiresAt().ifPresent(at -> knob.put("expires_at", at.toString()));
            state.updatedBy().ifPresent(by -> knob.put("updated_by", by));
        }
        Optional<String> stale = view.stale();
        stale.ifPresent(text -> answer.put("warning", text));
        return answer;
    }
}
