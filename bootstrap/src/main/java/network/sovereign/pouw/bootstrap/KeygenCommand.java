package network.sovereign.pouw.bootstrap;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import network.sovereign.pouw.adapters.crypto.BouncyCastleNodeKey;
import network.sovereign.pouw.adapters.crypto.NodeKeyFileException;
import network.sovereign.pouw.adapters.crypto.NodeKeyFiles;
import network.sovereign.pouw.domain.SigScheme;

/**
 * {@code keygen [--scheme ed25519|ml-dsa-65] [--out FILE]}: makes a node key. With {@code --out} it
 * writes a key file (mode 0600, never overwriting one); without, it prints the base64 secret for
 * {@code POUW_NODE_SECRET_KEY} on stdout. The public key and node id go to stderr either way.
 */
final class KeygenCommand {

    private KeygenCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        SigScheme scheme = SigScheme.ED25519;
        Path file = null;
        Deque<String> rest = new ArrayDeque<>(args);
        while (!rest.isEmpty()) {
            String arg = rest.removeFirst();
            if ((arg.equals("--scheme") || arg.equals("--out")) && rest.isEmpty()) {
                err.println("pouw-node keygen: " + arg + " needs a value");
                return Main.EXIT_USAGE;
            }
            switch (arg) {
                case "--scheme" -> {
                    String name = rest.removeFirst().toLowerCase(Locale.ROOT);
                    scheme = SigScheme.fromWireName(name).filter(s -> s == SigScheme.ED25519 || s == SigScheme.ML_DSA_65)
                            .orElse(null);
                    if (scheme == null) {
                        err.println("pouw-node keygen: --scheme must be ed25519 or ml-dsa-65, got " + name);
                        return Main.EXIT_USAGE;
                    }
                }
                case "--out" -> file = Path.of(rest.removeFirst());
                default -> {
                    err.println("pouw-node keygen: unknown argument " + arg);
                    return Main.EXIT_USAGE;
                }
            }
        }
        BouncyCastleNodeKey key = BouncyCastleNodeKey.generate(scheme, new SecureRandom());
        if (file != null) {
            try {
                if (!NodeKeyFiles.create(file, key)) {
                    err.println("pouw-node keygen: " + file + " already exists; not overwriting it");
                    return Main.EXIT_FAILURE;
                }
            } catch (NodeKeyFileException e) {
                err.println("pouw-node keygen: " + e.getMessage());
                return Main.EXIT_FAILURE;
            }
            err.println("wrote " + scheme.wireName() + " node key to " + file + " (mode 0600); use POUW_NODE_KEY_FILE=" + file);
        } else {
            out.println(key.encodeSecretBase64());
        }
        err.println("sig_scheme " + scheme.wireName());
        err.println("node_id " + key.nodeIdHex());
        err.println("public_key " + HexFormat.of().formatHex(key.publicKey()));
        return Main.EXIT_OK;
    }
}
