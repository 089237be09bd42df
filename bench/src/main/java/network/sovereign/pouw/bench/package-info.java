/**
 * A client of a running pouw-node for tests and people: {@link network.sovereign.pouw.bench.PouwClient}
 * (enrol, challenge, sign and submit receipts over the JSON transport) and the {@link
 * network.sovereign.pouw.bench.Demo} command that walks through the protocol's answers for every
 * signature scheme, and the {@link network.sovereign.pouw.bench.ClientCli client} command that makes
 * client keys, takes challenges, signs and submits receipts from a JSON file and files signed disputes. Runs on the class path and is never shipped in the node jar; benchmarks will live
 * here too.
 */
package network.sovereign.pouw.bench;
