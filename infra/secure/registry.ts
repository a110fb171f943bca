/**
 * The secure profile's schema registry: Apicurio with OpenID Connect authentication against Keycloak and
 * role-based authorization, preceded by that Keycloak.
 *
 * Clients send HTTP basic with their client id and secret; Apicurio exchanges them for a token at Keycloak
 * (client credentials) and authorizes by the token's realm role. Anonymous requests are refused, reads too:
 * every phonepipe client has credentials and a read-only role is enough for its reads, so nothing needs
 * anonymous access, and a registry's subjects and schemas describe the business's data.
 */
import { registryService, Service } from "../platform-services";
import { SecureConfig } from "./config";
import { keycloakService, realmUrl } from "./keycloak";
import { ACCESS_TOKEN_LIFESPAN_S, REGISTRY_API_CLIENT } from "./keycloak-realm";

/** Apicurio's authentication and authorization settings for the secure profile. Pure. */
export function registryAuthProperties(sc: SecureConfig): Record<string, string> {
  return {
    "quarkus.oidc.tenant-enabled": "true",
    "quarkus.oidc.auth-server-url": realmUrl(sc),
    "quarkus.oidc.client-id": REGISTRY_API_CLIENT,
    // Keycloak's realm keys are new when its database is (a rotated secret): fetch the new key set as soon as
    // a token names an unknown key, not up to 10 minutes later (Quarkus's default).
    "quarkus.oidc.token.forced-jwk-refresh-interval": "5S",
    "apicurio.authn.basic-client-credentials.enabled": "true",
    // Minutes a basic client's token is reused: a minute less than the token lives.
    "apicurio.authn.basic-client-credentials.cache-expiration": String(ACCESS_TOKEN_LIFESPAN_S / 60 - 1),
    "apicurio.auth.role-based-authorization": "true",
    "apicurio.auth.role-source": "token",
    "apicurio.auth.roles.admin": "sr-admin",
    "apicurio.auth.roles.developer": "sr-developer",
    "apicurio.auth.roles.readonly": "sr-readonly",
    "apicurio.auth.anonymous-read-access.enabled": "false",
  };
}

/** Keycloak first: the registry fetches its OpenID configuration when it starts. */
export function secureRegistryServices(sc: SecureConfig): Service[] {
  return [
    keycloakService(sc),
    registryService({
      runDir: sc.runDir,
      cacheDir: sc.cacheDir,
      port: sc.registryPort,
      managementPort: sc.registryManagementPort,
      systemProperties: registryAuthProperties(sc),
    }),
  ];
}
