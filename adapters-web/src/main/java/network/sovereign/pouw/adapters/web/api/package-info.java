/** The client API of SPEC §4: node info, challenges, receipt submission and self-enrolment, rate limited. */
package network.sovereign.pouw.adapters.web.api;
