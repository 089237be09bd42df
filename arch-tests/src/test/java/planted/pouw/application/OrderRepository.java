package planted.pouw.application;

/** Breaks repositoriesAndStoresArePortOutInterfaces: a class, outside port.out. */
public class OrderRepository {
}
