/**
 * The Keycloak realm the secure profile's registry trusts, rendered from the client secrets so none is
 * committed. Pure: infra/secure/keycloak.ts writes the result where Keycloak imports it at start.
 *
 * Every phonepipe component is a confidential client with a service account (OAuth client credentials); the
 * registry accepts HTTP basic with the client id and secret and exchanges them for a token. The token's realm
 * roles are Apicurio's: sr-admin (everything), sr-developer (write artifacts and their rules), sr-readonly.
 */
import { ROLES } from "./config";

export const REALM = "phonepipe";
/** The client id the registry validates tokens as (Apicurio's quarkus.oidc.client-id). */
export const REGISTRY_API_CLIENT = "registry-api";

export const REGISTRY_ROLES = ["sr-admin", "sr-developer", "sr-readonly"] as const;
export type RegistryRole = (typeof REGISTRY_ROLES)[number];

/**
 * Each registry client and its one registry role. Producers and the stream only look up the id of a schema
 * the admin registered (POST /subjects/{s}) and fetch schemas by id; Apicurio authorizes both as reads.
 * `developer` is a person-like identity that may register schemas but not change global settings.
 */
export const REGISTRY_CLIENT_ROLES: Readonly<Record<string, RegistryRole>> = {
  admin: "sr-admin",
  scraper: "sr-readonly",
  simulator: "sr-readonly",
  loader: "sr-readonly",
  pricing: "sr-readonly",
  stream: "sr-readonly",
  developer: "sr-developer",
};

/** Every client with a secret file: the secure profile's roles and the developer identity. */
export const REGISTRY_CLIENTS: readonly string[] = [...ROLES, "developer"];

export interface RealmClient {
  clientId: string;
  enabled: boolean;
  publicClient: boolean;
  bearerOnly?: boolean;
  secret?: string;
  clientAuthenticatorType?: string;
  serviceAccountsEnabled: boolean;
  standardFlowEnabled: boolean;
  directAccessGrantsEnabled: boolean;
  implicitFlowEnabled: boolean;
}

export interface RealmJson {
  realm: string;
  enabled: boolean;
  accessTokenLifespan: number;
  roles: { realm: Array<{ name: string; description: string }> };
  clients: RealmClient[];
  users: Array<{ username: string; enabled: boolean; serviceAccountClientId: string; realmRoles: string[] }>;
}

/** Seconds an access token lives; the registry caches a basic client's token for less (see registry.ts). */
export const ACCESS_TOKEN_LIFESPAN_S = 300;

const ROLE_DESCRIPTIONS: Record<RegistryRole, string> = {
  "sr-admin": "Registry administrator: every operation",
  "sr-developer": "Registers schemas and sets their rules",
  "sr-readonly": "Reads and looks up schemas",
};

function serviceClient(clientId: string, secret: string): RealmClient {
  return {
    clientId,
    enabled: true,
    publicClient: false,
    secret,
    clientAuthenticatorType: "client-secret",
    // Only the client-credentials grant: no browser login, no passwords.
    serviceAccountsEnabled: true,
    standardFlowEnabled: false,
    directAccessGrantsEnabled: false,
    implicitFlowEnabled: false,
  };
}

/** The realm with one client per entry of `secrets` (client id → secret); each must have a registry role. */
export function renderRealm(secrets: Readonly<Record<string, string>>): RealmJson {
  const ids = Object.keys(secrets).sort();
  for (const id of ids) {
    if (!REGISTRY_CLIENT_ROLES[id]) throw new Error(`registry client ${id} has no registry role`);
    if (!secrets[id]) throw new Error(`registry client ${id} has an empty secret`);
  }
  return {
    realm: REALM,
    enabled: true,
    accessTokenLifespan: ACCESS_TOKEN_LIFESPAN_S,
    roles: { realm: REGISTRY_ROLES.map((name) => ({ name, description: ROLE_DESCRIPTIONS[name] })) },
    clients: [
      {
        // The registry only validates tokens; it never signs anyone in itself.
        clientId: REGISTRY_API_CLIENT,
        enabled: true,
        publicClient: false,
        bearerOnly: true,
        serviceAccountsEnabled: false,
        standardFlowEnabled: false,
        directAccessGrantsEnabled: false,
        implicitFlowEnabled: false,
      },
      ...ids.map((id) => serviceClient(id, secrets[id])),
    ],
    // Explicit realm roles replace the realm's default roles, so a token carries exactly one registry role.
    users: ids.map((id) => ({
      username: `service-account-${id}`,
      enabled: true,
      serviceAccountClientId: id,
      realmRoles: [REGISTRY_CLIENT_ROLES[id]],
    })),
  };
}
