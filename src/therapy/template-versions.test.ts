import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { carTAutologousTemplate } from './demo-templates/car-t-autologous.ts';
import { templateRecordHash } from './template-hash.ts';
import {
  canStartCase,
  compareTemplates,
  createDraft,
  describeDifference,
  draftNextVersion,
  editDraft,
  pinnedVersion,
  publishVersion,
  retireVersion,
  type TemplateVersion,
  versionForNewCase,
} from './template-versions.ts';

const NOW = new Date('2026-03-01T10:00:00Z');

function ok(result: ReturnType<typeof createDraft>): TemplateVersion {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.version;
}
function conflictReason(result: ReturnType<typeof createDraft>): string {
  assert.equal(result.ok, false);
  if (result.ok || result.error.kind !== 'conflict') throw new Error('expected a conflict');
  return result.error.reason;
}
const sign = (v: TemplateVersion) => ({
  signedBy: 'u-admin',
  meaning: 'Approval of therapy template for use',
  recordHash: templateRecordHash(v.template),
});

describe('template version lifecycle', () => {
  test('draft → published (signed, bound to the document) → retired', () => {
    const draft = ok(createDraft(carTAutologousTemplate));
    assert.equal(draft.status, 'draft');
    assert.equal(canStartCase(draft).ok, false);
    const published = ok(publishVersion(draft, sign(draft), NOW));
    assert.equal(published.status, 'published');
    assert.equal(published.publishedAt, NOW.toISOString());
    assert.deepEqual(published.publication, sign(draft));
    assert.equal(canStartCase(published).ok, true);
    const retired = ok(retireVersion(published, NOW));
    assert.equal(retired.status, 'retired');
    assert.match((canStartCase(retired) as { reason: string }).reason, /retired/);
  });

  test('an invalid document never becomes a draft, and errors name the path', () => {
    const result = createDraft({ ...carTAutologousTemplate, version: 0 });
    assert.equal(result.ok, false);
    if (!result.ok && result.error.kind === 'invalid_template')
      assert.equal(result.error.errors[0]?.path, 'version');
    else assert.fail('expected invalid_template');
  });

  test('publishing needs a signature over this exact document', () => {
    const draft = ok(createDraft(carTAutologousTemplate));
    assert.match(conflictReason(publishVersion(draft, undefined, NOW)), /requires a signature/);
    assert.match(
      conflictReason(publishVersion(draft, { ...sign(draft), recordHash: '0'.repeat(64) }, NOW)),
      /another record/,
    );
    const edited = ok(editDraft(draft, { ...carTAutologousTemplate, title: 'CAR-T (edited)' }));
    assert.match(conflictReason(publishVersion(edited, sign(draft), NOW)), /another record/);
  });

  test('only a draft can be edited or published; only a published version can be retired', () => {
    const draft = ok(createDraft(carTAutologousTemplate));
    const published = ok(publishVersion(draft, sign(draft), NOW));
    assert.match(conflictReason(editDraft(published, carTAutologousTemplate)), /only a draft can be edited/);
    assert.match(
      conflictReason(publishVersion(published, sign(published), NOW)),
      /only a draft can be published/,
    );
    assert.match(conflictReason(retireVersion(draft, NOW)), /only a published version/);
    const retired = ok(retireVersion(published, NOW));
    assert.match(conflictReason(editDraft(retired, carTAutologousTemplate)), /retired/);
    assert.match(
      conflictReason(editDraft(draft, { ...carTAutologousTemplate, version: 2 })),
      /cannot change/,
    );
  });

  test('new cases start on the highest published version; a running case keeps its pin', () => {
    const v1 = ok(
      publishVersion(
        ok(createDraft(carTAutologousTemplate)),
        sign(ok(createDraft(carTAutologousTemplate))),
        NOW,
      ),
    );
    const v2draft = ok(draftNextVersion(v1, [v1]));
    assert.equal(v2draft.version, 2);
    assert.equal(versionForNewCase([v1, v2draft], 'car-t-autologous')?.version, 1);
    const v2 = ok(publishVersion(v2draft, sign(v2draft), NOW));
    const v1retired = ok(retireVersion(v1, NOW));
    assert.equal(versionForNewCase([v1retired, v2], 'car-t-autologous')?.version, 2);
    assert.equal(
      pinnedVersion([v1retired, v2], { templateCode: 'car-t-autologous', templateVersion: 1 })?.version,
      1,
    );
    assert.equal(versionForNewCase([v1retired], 'car-t-autologous'), undefined);
  });
});

describe('compareTemplates', () => {
  test('identical versions have no differences', () => {
    const v1 = ok(createDraft(carTAutologousTemplate));
    assert.deepEqual(compareTemplates(v1.template, v1.template), []);
  });

  test('lists steps added, removed and changed with what changed', () => {
    const a = ok(createDraft(carTAutologousTemplate)).template;
    const doc = structuredClone(carTAutologousTemplate);
    doc.version = 2;
    const manufacturing = doc.stages[4];
    assert.ok(manufacturing);
    const qa = manufacturing.steps[2];
    assert.ok(qa?.gates?.signatures);
    qa.gates.signatures.count = 3;
    manufacturing.steps[0]?.tasks[1]?.fields?.push({
      key: 'lims_reference',
      label: 'LIMS reference',
      type: 'text',
    });
    // follow-up day 14 removed, day 21 added
    const followUp = doc.stages[7];
    assert.ok(followUp);
    const day14 = followUp.steps.splice(1, 1)[0];
    assert.ok(day14);
    followUp.steps.splice(1, 0, { ...day14, key: 'follow_up_day_21', title: 'Follow-up day 21' });
    const b = ok(createDraft(doc)).template;

    const lines = compareTemplates(a, b).map(describeDifference);
    assert.deepEqual(lines, [
      'version: 1 → 2',
      'step removed: follow_up_day_14 (stage follow_up)',
      'step manufacturing: field added: manufacture.lims_reference (required)',
      'step qa_release: signatures: 2 → 3',
      'step follow_up_day_7: leads to: follow_up_day_14 → follow_up_day_21',
      'step added: follow_up_day_21 (stage follow_up)',
    ]);
  });

  test('override changes are listed by key', () => {
    const a = ok(createDraft(carTAutologousTemplate)).template;
    const doc = structuredClone(carTAutologousTemplate);
    doc.overrides = [
      { ...(doc.overrides?.[0] as NonNullable<typeof doc.overrides>[number]), priority: 99 },
      {
        key: 'uk_two_signatures',
        priority: 1,
        scope: { country: 'GB', step: 'receipt_storage' },
        set: { signatureCount: 2 },
      },
    ];
    const b = ok(createDraft(doc)).template;
    assert.deepEqual(compareTemplates(a, b).map(describeDifference), [
      'override removed: paris_volume_optional',
      'override removed: fr_conditioning_window',
      'override changed: de_receipt_two_signatures',
      'override added: uk_two_signatures',
    ]);
  });
});
