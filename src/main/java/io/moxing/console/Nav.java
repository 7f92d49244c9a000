package io.moxing.console;

import io.moxing.console.view.Frame.NavItem;
import java.util.List;

/**
 * The sections of each role's console, in the order the navigation shows them. A section that is not built yet is
 * listed with {@code ready} false and answered by a placeholder page ({@link OperatorPages}); building it means adding
 * its route and template and flipping its flag here.
 */
final class Nav {
    private record Section(String label, String href, boolean ready) {}

    private static final List<Section> OPERATOR = List.of(
            new Section("Dashboard", "/console/ops", true),
            new Section("Deployments", "/console/ops/deployments", true),
            new Section("Deploy", "/console/ops/deploy", true),
            new Section("Tenants", "/console/ops/tenants", true),
            new Section("Runs", RunPages.LIST, true),
            new Section("Models", ModelPages.LIST, true),
            new Section("Jobs", JobPages.LIST, true),
            new Section("Feedback", FeedbackPages.PATH, true),
            new Section("Usage", UsagePages.PATH, true),
            new Section("Invoices", OperatorInvoicePages.LIST, true),
            new Section("Economics", EconomicsPages.PATH, true),
            new Section("Audit", AuditPages.PATH, true),
            new Section("Health", HealthPages.PATH, true));

    private static final List<Section> TENANT = List.of(
            new Section("Dashboard", "/console/tenant", true),
            new Section("Models", "/console/tenant/models", true),
            new Section("Playground", "/console/tenant/playground", true),
            new Section("API keys", "/console/tenant/keys", true),
            new Section("Invoices", "/console/tenant/invoices", true));

    private Nav() {}

    static List<NavItem> of(Role role, String path) {
        return (role == Role.OPERATOR ? OPERATOR : TENANT).stream()
                .map(s -> new NavItem(s.label(), s.href(), current(s.href(), role, path), s.ready())).toList();
    }

    /** The operator's sections not built yet, by the last part of their path (runs, models, ...). */
    static List<String> comingOperatorSections() {
        return OPERATOR.stream().filter(s -> !s.ready()).map(s -> s.href().substring(s.href().lastIndexOf('/') + 1)).toList();
    }

    private static boolean current(String href, Role role, String path) {
        // the dashboard is the role's home: current only on itself, not on every page beneath it
        return href.equals(role.home) ? path.equals(href) : path.equals(href) || path.startsWith(href + "/");
    }
}
