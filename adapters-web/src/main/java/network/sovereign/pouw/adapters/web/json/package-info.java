/** The hand-written JSON of the HTTP edge's small documents (internal). */
package network.sovereign.pouw.adapters.web.json;
