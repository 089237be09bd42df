package network.sovereign.pouw.adapters.web;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The routes the server really registers, as {@code "METHOD /path"} lines, recorded while each service
 * builds its routing: the ground truth that the OpenAPI document is checked against. A route added in a
 * way the catalog cannot read (a raw {@code HttpRoute} or a path matcher) is recorded as
 * {@code "? <description>"}, so the check fails instead of missing it.
 */
final class RouteCatalog {

    private static final Set<String> VERBS = Set.of("get", "post", "put", "delete", "patch", "head", "options", "trace");

    private final Set<String> routes = new ConcurrentSkipListSet<>();
    /** Each recorded path as a pattern, compiled once: a flood of wrong methods costs no compiles. */
    private final Map<String, Pattern> templates = new ConcurrentHashMap<>();

    /** Wraps a service so that its routes, under {@code prefix}, are recorded when the server builds its routing. */
    HttpService recording(String prefix, HttpService service) {
        return rules -> service.routing(recordingRules(prefix, rules));
    }

    /** Records a route added outside any service. */
    void add(String method, String path) {
        routes.add(method + " " + path);
    }

    /** Every recorded route, sorted. */
    List<String> routes() {
        return List.copyOf(routes);
    }

    /**
     * The methods recorded for a request path, as an {@code Allow} value ({@code "GET, POST"}), or empty
     * when no recorded route matches the path (then the answer is 404, not 405). Path parameters
     * ({@code {id}}) match one segment, a trailing {@code /*} anything below.
     */
    Optional<String> allowedMethods(String path) {
        Set<String> methods = new LinkedHashSet<>();
        for (String route : routes) {
            int space = route.indexOf(' ');
            if (route.startsWith("?") || space < 0) {
                continue;
            }
            if (templates.computeIfAbsent(route.substring(space + 1), RouteCatalog::template).matcher(path).matches()) {
                methods.add(route.substring(0, space));
            }
        }
        return methods.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", methods));
    }

    /**
     * The recorded route a request takes, as {@code "METHOD /template"} ({@code "GET /api/v1/x/{id}"}), for
     * metric labels: never the raw path. A literal route wins over a templated one; no match gives
     * {@code other}.
     */
    String routeOf(String method, String path) {
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        for (String route : routes) {
            int space = route.indexOf(' ');
            if (space != method.length() || !route.startsWith(method)) {
                continue;
            }
            String template = route.substring(space + 1);
            if (templates.computeIfAbsent(template, RouteCatalog::template).matcher(path).matches()) {
                int score = (int) template.chars().filter(c -> c == '{').count() + (template.endsWith("/*") ? 100 : 0);
                if (score < bestScore) {
                    best = route;
                    bestScore = score;
                }
            }
        }
        return best == null ? "other" : best;
    }

    private static Pattern template(String path) {
        StringBuilder regex = new StringBuilder();
        String rest = path;
        boolean anyBelow = rest.endsWith("/*");
        if (anyBelow) {
            rest = rest.substring(0, rest.length() - 2);
        }
        String[] segments = rest.split("/", -1);
        // Recorded paths start with "/": the first segment is empty.
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            regex.append('/').append(segment.startsWith("{") && segment.endsWith("}") ? "[^/]+" : Pattern.quote(segment));
        }
        if (anyBelow) {
            regex.append("(/.*)?");
        }
        return Pattern.compile(regex.toString());
    }

    private HttpRules recordingRules(String prefix, HttpRules delegate) {
        InvocationHandler handler = new InvocationHandler() {
            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                record(prefix, method, args);
                Object result;
                try {
                    result = method.invoke(delegate, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
                return result == delegate ? proxy : result;
            }
        };
        return (HttpRules) Proxy.newProxyInstance(HttpRules.class.getClassLoader(), new Class<?>[] {HttpRules.class}, handler);
    }

    private void record(String prefix, Method method, Object[] args) {
        String name = method.getName();
        boolean withPath = args != null && args.length > 0 && args[0] instanceof String;
        if (VERBS.contains(name)) {
            // get(Handler...) without a path would match every path under the prefix: recorded as such.
            add(name.toUpperCase(Locale.ROOT), prefix + (withPath ? (String) args[0] : "/*"));
        } else if (name.equals("route")) {
            if (args.length == 3 && args[0] instanceof io.helidon.http.Method verb && args[1] instanceof String path) {
                add(verb.text(), prefix + path);
            } else {
                routes.add("? route" + java.util.Arrays.toString(args) + " under " + prefix);
            }
        } else if (name.equals("register")) {
            routes.add("? nested register under " + prefix);
        }
        // any(...) is a filter or a method-not-allowed fallback, never a documented operation.
    }
}
