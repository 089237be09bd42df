/** Driving ports: the use cases that adapters call into. */
package network.sovereign.pouw.application.port.in;
