package network.sovereign.pouw.adapters.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.BadRequestException;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import network.sovereign.pouw.application.port.in.MaintenanceTask;
import network.sovereign.pouw.application.port.in.ReloadNodeUseCase;
import network.sovereign.pouw.application.port.in.ReloadNodeUseCase.ReloadResult;
import network.sovereign.pouw.application.port.in.RunMaintenanceUseCase;
import network.sovereign.pouw.application.port.in.RunMaintenanceUseCase.MaintenanceOutcome;
import network.sovereign.pouw.application.port.in.RunMaintenanceUseCase.RunMaintenanceCommand;

/**
 * The operations routes, registered under {@code /api/v1/admin}: {@code POST /maintenance} runs the
 * retention tasks now (or, with {@code dry_run}, counts what they would touch; 409 while another run,
 * on this node or another, holds the maintenance lease) and {@code POST /reload} re-reads the configuration file and TLS material as SIGHUP does
 * (409 with the reason when the new material is refused; the running one is kept). Every route needs an
 * admin bearer token.
 */
public final class AdminOperationsHttpService implements HttpService {

    private static final System.Logger LOG = System.getLogger(AdminOperationsHttpService.class.getName());

    private static final String TASKS = "tasks";
    private static final String DRY_RUN = "dry_run";

    private final BearerAuthentication authentication;
    private final RunMaintenanceUseCase maintenance;
    private final ReloadNodeUseCase reload;
    private final Clock clock;

    /**
     * Creates the service.
     *
     * @param authentication the admin bearer check, run before every route of this service
     * @param maintenance    runs the retention tasks
     * @param reload         reloads the configuration and TLS material
     * @param clock          for {@code started_at}/{@code finished_at}
     */
    public AdminOperationsHttpService(BearerAuthentication authentication, RunMaintenanceUseCase maintenance, ReloadNodeUseCase reload,
                                      Clock clock) {
        this.authentication = Objects.requireNonNull(authentication, "authentication");
        this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
        this.reload = Objects.requireNonNull(reload, "reload");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void routing(HttpRules rules) {
        // Authentication first, for every path of this service: it cannot be forgotten in the wiring.
        rules.any(authentication)
                .post("/maintenance", this::maintenance)
                .post("/reload", this::reload);
    }

    private void maintenance(ServerRequest req, ServerResponse res) {
        AdminActor actor = BearerAuthentication.actor(req);
        Set<MaintenanceTask> tasks = EnumSet.noneOf(MaintenanceTask.class);
        boolean dryRun = false;
        if (req.content().hasEntity()) {
            ObjectNode body = JsonBodies.readObjectLeniently(req);
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode value = field.getValue();
                switch (field.getKey()) {
                    case TASKS -> tasks = tasks(value);
                    case DRY_RUN -> {
                        if (!value.isNull() && !value.isBoolean()) {
                            throw new BadRequestException("\"dry_run\" must be true or false");
                        }
                        dryRun = value.asBoolean(false);
                    }
                    default -> throw new BadRequestException("unknown field \"" + LogText.safe(field.getKey())
                            + "\"; POST /maintenance takes tasks and dry_run");
                }
            }
        }
        Instant started = clock.instant();
        MaintenanceOutcome outcome = maintenance.run(new RunMaintenanceCommand(tasks, dryRun, Optional.of(actor.name())));
        switch (outcome) {
            case MaintenanceOutcome.Busy busy -> throw new HttpException(
                    "another maintenance run (on this node or another) holds the maintenance lease and is running now; try again later", Status.CONFLICT_409, true);
            case MaintenanceOutcome.Completed completed -> {
                ObjectNode answer = JsonBodies.object().put(DRY_RUN, completed.dryRun());
                ObjectNode counts = answer.putObject(TASKS);
                for (MaintenanceTask task : MaintenanceTask.values()) {
                    Long count = completed.counts().get(task);
                    if (count != null) {
                        counts.putObject(task.wireName()).put("count", count);
                    }
                }
                answer.put("started_at", started.toString()).put("finished_at", clock.instant().toString());
                LOG.log(Level.INFO, "admin run_maintenance by {0}{1}: {2}", actor.name(), completed.dryRun() ? " (dry run)" : "",
                        counts.toString());
                JsonBodies.send(res, Status.OK_200, answer);
            }
        }
    }

    /** One line of at most 220 characters, so that the problem detail shows it. */
    private static String shortLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= 220 ? line : line.substring(0, 217) + "...";
    }

    private static Set<MaintenanceTask> tasks(JsonNode value) {
        if (value.isNull()) {
            return EnumSet.noneOf(MaintenanceTask.class);
        }
        if (!value.isArray()) {
            throw new BadRequestException("\"tasks\" must be an array of " + taskNames());
        }
        Set<MaintenanceTask> tasks = EnumSet.noneOf(MaintenanceTask.class);
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new BadRequestException("\"tasks\" must be an array of " + taskNames());
            }
            tasks.add(MaintenanceTask.fromWireName(element.textValue()).orElseThrow(() -> new BadRequestException(
                    "unknown task \"" + LogText.safe(element.textValue()) + "\"; tasks are " + taskNames())));
        }
        return tasks;
    }

    private static String taskNames() {
        return Arrays.stream(MaintenanceTask.values()).map(MaintenanceTask::wireName).toList().toString();
    }

    private void reload(ServerRequest req, ServerResponse res) {
        AdminActor actor = BearerAuthentication.actor(req);
        switch (reload.reload(actor.name())) {
            case ReloadResult.Reloaded reloaded -> {
                LOG.log(Level.INFO, "admin reload by {0}: configuration and TLS material reloaded", actor.name());
                JsonBodies.send(res, Status.OK_200, JsonBodies.object().put("reloaded", true).put("at", clock.instant().toString()));
            }
            case ReloadResult.Failed failed -> {
                LOG.log(Level.WARNING, "admin reload by {0} refused, keeping the running configuration: {1}", actor.name(),
                        LogText.safe(failed.detail()));
                // 409: the request is fine, the material on disk is not; a 5xx would read as a node failure.
                throw new HttpException("reload refused, the running configuration is kept: " + shortLine(failed.detail()),
                        Status.CONFLICT_409, true);
            }
        }
    }
}
