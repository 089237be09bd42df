package planted.pouw.adapters.web;

/** Breaks useCasesAreInterfacesInPortIn and adaptersAreIndependent (uses the persistence adapter). */
public class SubmitReceiptUseCase {
    planted.pouw.adapters.persistence.JooqThing thing;
}
