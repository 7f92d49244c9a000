package io.moxing.console;

import io.moxing.billing.Accounts;
import io.moxing.deploy.DeploymentTarget;
import io.moxing.deploy.Deployments;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deployments a tenant may call, as the API decides it: public ones and its own private ones, never another
 * tenant's. Each comes with the card of the version its production alias serves (else its first alias), which says
 * what it takes and answers.
 */
final class TenantModels {
    private final Deployments deployments;
    private final ModelRegistry registry;
    private final Accounts accounts;

    /** A deployment the tenant may call, and what it serves. */
    record Callable(String name, ModelVersion card) {
        boolean languageModel() {
            return card.task() != null && card.task().isLanguageModel();
        }

        boolean imageClassifier() {
            return card.task() != null && card.task().isClassification() && "image".equals(card.dataKind());
        }
    }

    TenantModels(Deployments deployments, ModelRegistry registry, Accounts accounts) {
        this.deployments = deployments;
        this.registry = registry;
        this.accounts = accounts;
    }

    List<Callable> of(String tenant) {
        Map<String, String> owners = accounts.owners();
        return deployments.list().stream()
                .filter(t -> owners.get(t.deployment()) == null || owners.get(t.deployment()).equals(tenant))
                .map(DeploymentTarget::deployment).distinct().sorted()
                .flatMap(name -> card(name).map(c -> new Callable(name, c)).stream())
                .toList();
    }

    /** The one deployment of that name the tenant may call; empty when there is none (or it is another tenant's). */
    Optional<Callable> find(String tenant, String name) {
        return of(tenant).stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private Optional<ModelVersion> card(String deployment) {
        Optional<DeploymentTarget> target = deployments.find(deployment, "production")
                .or(() -> deployments.list().stream().filter(t -> t.deployment().equals(deployment)).findFirst());
        try {
            return target.map(t -> registry.card(t.modelRef()));
        } catch (io.moxing.core.UserException e) {
            return Optional.empty(); // deployed, then deleted from the registry: the API cannot serve it either
        }
    }
}
