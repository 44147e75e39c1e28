/**
 * Public keys the emulator trusts, the way OCI IAM would:
 * - API keys under their keyId `<tenancy>/<user>/<fingerprint>`;
 * - session / resource-principal tokens (keyId `ST$<token>`): the token is
 *   registered together with the public half of the key pair it was issued for.
 */
import { createPublicKey, type KeyObject } from "node:crypto";

export class KeyRegistry {
  private readonly apiKeys = new Map<string, KeyObject>();
  private readonly tokens = new Map<string, { key: KeyObject; subject: string }>();

  addApiKey(keyId: string, publicKeyPem: string): void {
    this.apiKeys.set(keyId, createPublicKey(publicKeyPem));
  }

  addSessionToken(token: string, publicKeyPem: string, subject = "session-principal"): void {
    this.tokens.set(token, { key: createPublicKey(publicKeyPem), subject });
  }

  /** The key that must have produced a signature with this keyId, and the principal it names. */
  lookup(keyId: string): { key: KeyObject; principal: string } | undefined {
    if (keyId.startsWith("ST$")) {
      const entry = this.tokens.get(keyId.slice(3));
      return entry ? { key: entry.key, principal: entry.subject } : undefined;
    }
    const key = this.apiKeys.get(keyId);
    return key ? { key, principal: keyId.split("/")[1] ?? keyId } : undefined;
  }
}
