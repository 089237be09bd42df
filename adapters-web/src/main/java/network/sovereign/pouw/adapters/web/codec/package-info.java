/**
 * The {@code application/x-protobuf} wire codec of pouw.v1: reads a binary {@code ReceiptBatch} into
 * the domain (with a per-receipt malformed detail where the domain cannot hold what was sent) and writes
 * a binary {@code ChallengeToken}. The Java generated from {@code pouw.proto} lives in the
 * {@code codec.proto} subpackage, is never exported and is not opened: parsing, deterministic
 * serialization, getters, {@code equals} and {@code hashCode} are generated code, but protobuf's
 * reflection ({@code toString()}, {@code TextFormat}, {@code getAllFields()}) fails on the module path
 * with "Couldn't use Java reflection", so never log a generated message; log domain values instead.
 */
package network.sovereign.pouw.adapters.web.codec;
