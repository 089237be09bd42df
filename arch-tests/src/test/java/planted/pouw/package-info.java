/**
 * Planted violations of the house rules, one per rule, laid out like the real code under another root.
 * {@code RulesCatchPlantedViolationsTest} checks that every rule fails on them; never wired anywhere.
 */
package planted.pouw;
