/** Implementations of the driving ports, written against the driven ports only. */
package network.sovereign.pouw.application.service;
