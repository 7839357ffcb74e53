import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { PARTNER_TYPES, type PartnerType } from '../../partners/partner-tables.ts';
import type { Actor } from './actor.ts';
import {
  CLIENT_SCOPES,
  clientScopeProblems,
  PERMISSIONS,
  permissionsOf,
  permissionsOfScopes,
  ROLE_PERMISSIONS,
} from './permissions.ts';
import {
  ROLE_NAMES,
  ROLES,
  type Role,
  requiresSecondFactor,
  roleAllowedForPartner,
  roleAssignmentProblems,
} from './roles.ts';
import { partnerScopeOf, patientScopeOf } from './scope.ts';

const user = (roles: Role[], partnerType: PartnerType, extra: Partial<Actor> = {}): Actor =>
  ({
    kind: 'user',
    id: 'u1',
    displayName: 'Someone',
    partnerId: 'p1',
    partnerType,
    roles,
    permissions: permissionsOf(roles),
    patientId: null,
    providerId: null,
    ...extra,
  }) as Actor;

describe('roles and partner types', () => {
  test('a role can be held only at the partner types it names', () => {
    assert.equal(roleAllowedForPartner('courier', 'courier'), true);
    assert.equal(roleAllowedForPartner('qa', 'courier'), false);
    assert.equal(roleAllowedForPartner('infusion_nurse', 'manufacturing_site'), false);
    assert.equal(roleAllowedForPartner('admin', 'sponsor'), true);
    assert.equal(roleAllowedForPartner('admin', 'treatment_centre'), false);
  });

  test('property: roleAssignmentProblems agrees with the role table for every role and partner type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROLE_NAMES), fc.constantFrom(...PARTNER_TYPES), (role, partnerType) => {
        const problems = roleAssignmentProblems({
          roles: [role],
          partnerType,
          patientId: role === 'patient' ? 'x' : null,
          providerId: role === 'provider' ? 'y' : null,
        });
        return (
          (problems.length === 0) === (ROLES[role].partnerTypes as readonly string[]).includes(partnerType)
        );
      }),
    );
  });

  test('portal roles stand alone and are linked to their record', () => {
    const fields = (input: Parameters<typeof roleAssignmentProblems>[0]) =>
      roleAssignmentProblems(input).map((p) => `${p.field}: ${p.reason}`);
    assert.match(fields({ roles: ['patient'], partnerType: 'sponsor' }).join(), /patientId: is required/);
    assert.match(
      fields({ roles: ['patient', 'msl'], partnerType: 'sponsor', patientId: 'x' }).join(),
      /cannot be combined/,
    );
    assert.match(
      fields({ roles: ['provider'], partnerType: 'treatment_centre' }).join(),
      /providerId: is required/,
    );
    assert.match(
      fields({ roles: ['msl'], partnerType: 'sponsor', patientId: 'x' }).join(),
      /only for users with the patient role/,
    );
    assert.match(fields({ roles: ['nurse'], partnerType: 'sponsor' }).join(), /nurse is not a role/);
    assert.match(fields({ roles: [], partnerType: 'sponsor' }).join(), /at least one role/);
    assert.deepEqual(fields({ roles: ['qa', 'inspector'], partnerType: 'sponsor' }), []);
  });

  test('every internal role requires a second factor; patients and providers may choose', () => {
    for (const role of ROLE_NAMES) assert.equal(requiresSecondFactor([role]), ROLES[role].internal, role);
    assert.equal(requiresSecondFactor(['patient']), false);
    assert.equal(requiresSecondFactor(['provider']), false);
  });
});

describe('permission resolution', () => {
  test('permissions are the union over the roles held, and every one is a defined permission', () => {
    const both = permissionsOf(['qa', 'inspector']);
    assert.ok(both.has('audit:read') && both.has('patients:read') && both.has('self:read'));
    for (const role of ROLE_NAMES)
      for (const permission of ROLE_PERMISSIONS[role])
        assert.ok(permission in PERMISSIONS, `${role}: ${permission}`);
  });

  test('the supply chain never reads patient identity; administrators manage accounts, not patients', () => {
    for (const role of ['courier', 'manufacturing', 'lab', 'qa', 'admin', 'msl'] as const)
      assert.equal(permissionsOf([role]).has('patients:read'), false, role);
    assert.equal(permissionsOf(['admin']).has('users:manage'), true);
    assert.equal(permissionsOf(['centre_coordinator']).has('users:manage'), false);
  });

  test('property: permissionsOf is monotonic (more roles never means fewer permissions)', () => {
    fc.assert(
      fc.property(fc.subarray(ROLE_NAMES), fc.subarray(ROLE_NAMES), (a, b) => {
        const union = permissionsOf([...a, ...b]);
        return [...permissionsOf(a)].every((p) => union.has(p));
      }),
    );
  });

  test('client scopes: only delegable permissions, each only for some partner types', () => {
    assert.deepEqual(clientScopeProblems(['patients:read'], 'treatment_centre'), []);
    assert.match(clientScopeProblems(['patients:read'], 'courier').join(), /cannot be granted to a courier/);
    assert.match(clientScopeProblems(['users:manage'], 'sponsor').join(), /is not a scope/);
    assert.match(clientScopeProblems([], 'sponsor').join(), /at least one scope/);
    assert.deepEqual([...permissionsOfScopes(['network:read', 'bogus'])], ['network:read']);
    for (const scope of Object.keys(CLIENT_SCOPES)) assert.ok(scope in PERMISSIONS, scope);
  });
});

describe('partner scoping', () => {
  test('whose patients each kind of actor sees', () => {
    assert.deepEqual(patientScopeOf(user(['program_coordinator'], 'sponsor')), { kind: 'all' });
    assert.deepEqual(patientScopeOf(user(['inspector'], 'sponsor')), { kind: 'all' });
    assert.deepEqual(patientScopeOf(user(['infusion_nurse'], 'treatment_centre')), {
      kind: 'partner',
      partnerId: 'p1',
    });
    assert.deepEqual(patientScopeOf(user(['collection_staff'], 'collection_centre')), { kind: 'none' });
    assert.deepEqual(patientScopeOf(user(['courier'], 'courier')), { kind: 'none' });
    assert.deepEqual(patientScopeOf(user(['qa'], 'manufacturing_site')), { kind: 'none' });
    assert.deepEqual(patientScopeOf(user(['admin'], 'sponsor')), { kind: 'none' });
    assert.deepEqual(patientScopeOf(user(['patient'], 'sponsor', { patientId: 'me' })), {
      kind: 'self',
      patientId: 'me',
    });
    assert.deepEqual(patientScopeOf(user(['patient'], 'sponsor')), { kind: 'none' });
    assert.deepEqual(patientScopeOf(user(['provider'], 'treatment_centre', { providerId: 'dr' })), {
      kind: 'provider',
      providerId: 'dr',
    });
    const client = (partnerType: PartnerType, scopes: string[]): Actor => ({
      kind: 'client',
      id: 'c1',
      displayName: 'EHR',
      partnerId: 'p2',
      partnerType,
      roles: [],
      permissions: permissionsOfScopes(scopes),
      scopes,
    });
    assert.deepEqual(patientScopeOf(client('treatment_centre', ['patients:read'])), {
      kind: 'partner',
      partnerId: 'p2',
    });
    assert.deepEqual(patientScopeOf(client('treatment_centre', ['network:read'])), { kind: 'none' });
    assert.deepEqual(patientScopeOf(client('sponsor', ['patients:read'])), { kind: 'all' });
  });

  test('accounts: the sponsor administers the network, a partner only itself', () => {
    assert.deepEqual(partnerScopeOf(user(['admin'], 'sponsor')), { kind: 'all' });
    assert.deepEqual(partnerScopeOf(user(['centre_coordinator'], 'treatment_centre')), {
      kind: 'partner',
      partnerId: 'p1',
    });
  });
});
