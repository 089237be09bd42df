package network.sovereign.pouw.adapters.admin.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import network.sovereign.pouw.application.port.in.EnrolClientUseCase;
import network.sovereign.pouw.application.port.out.ClientKey;
import network.sovereign.pouw.domain.SigScheme;

/** An in-memory enrolment: known schemes only, created on first enrolment, rotated afterwards. */
final class FakeEnrolClient implements EnrolClientUseCase {

    final Map<String, ClientKey> keys = new ConcurrentHashMap<>();
    final List<EnrolClientCommand> commands = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> actors = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public EnrolmentResult enrolByAdmin(EnrolClientCommand command, String actor) {
        commands.add(command);
        actors.add(actor);
        Optional<SigScheme> scheme = SigScheme.fromWireName(command.sigScheme());
        if (scheme.isEmpty()) {
            return new EnrolmentResult.Refused(Refusal.INVALID_REQUEST, "unsupported sig_scheme " + command.sigScheme());
        }
        if (!command.did().startsWith("did:")) {
            return new EnrolmentResult.Refused(Refusal.INVALID_REQUEST, "did must look like did:<method>:<id>");
        }
        boolean created = keys.put(command.did(), new ClientKey(command.did(), scheme.get(), command.publicKey())) == null;
        return new EnrolmentResult.Enrolled(command.did(), created);
    }

    @Override
    public EnrolmentResult enrolSelf(EnrolClientCommand command, network.sovereign.pouw.application.port.in.ClientAdmission admission) {
        return new EnrolmentResult.Refused(Refusal.ENROLMENT_CLOSED, "self-enrolment is closed");
    }

    /** The client lookup over the same map, as bootstrap wires it over the directory. */
    ClientLookup lookup(java.util.Set<String> blocked) {
        return did -> Optional.ofNullable(keys.get(did)).map(k -> ClientView.from(k, blocked.contains(did)));
    }
}
