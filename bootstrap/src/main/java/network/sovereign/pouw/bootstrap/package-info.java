/** The composition root: {@code Main} (CLI), {@code Node} (wiring and life cycle). */
package network.sovereign.pouw.bootstrap;
