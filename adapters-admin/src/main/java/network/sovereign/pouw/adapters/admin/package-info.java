/** Admin adapters: the scheduled retention job. */
package network.sovereign.pouw.adapters.admin;
