/**
 * What an API client may be granted, and to which kinds of partner (mirrors the server's CLIENT_SCOPES;
 * the server refuses anything else with a 422 naming `body.scopes`).
 */
export const apiScopes = [
  {
    scope: 'network:read',
    label: 'Read the network: partners and sites',
    partnerTypes: [
      'sponsor',
      'treatment_centre',
      'collection_centre',
      'manufacturing_site',
      'courier',
      'laboratory',
      'payer',
      'referring_practice',
    ],
  },
  {
    scope: 'patients:read',
    label: 'Read the patients the partner serves',
    partnerTypes: ['sponsor', 'treatment_centre'],
  },
  { scope: 'audit:read', label: 'Read the audit trail and ledger proofs', partnerTypes: ['sponsor'] },
] as const;

/** The scopes a client of this kind of partner can hold. */
export function scopesForPartnerType(partnerType: string): (typeof apiScopes)[number][] {
  return apiScopes.filter((entry) => (entry.partnerTypes as readonly string[]).includes(partnerType));
}
