/** Protocol vocabulary of pouw.v1 and the rules that do not need any infrastructure. */
package network.sovereign.pouw.domain;
