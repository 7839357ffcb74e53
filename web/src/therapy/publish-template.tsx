import { Button, Paper, Text } from '@mantine/core';
import { useState } from 'react';
import { ReasonModal } from '../admin/reason-modal.tsx';
import { sendJson } from '../api-client.ts';
import { useSession } from '../auth/session-context.ts';
import { SignatureDialog } from '../signatures/signature-dialog.tsx';
import { SignatureManifestation } from '../signatures/signature-manifestation.tsx';
import type { Signature, SignatureCredentials } from '../signatures/signatures-api.ts';
import type { TemplateVersion } from './therapy-api.ts';

/** The meaning of the signature that releases a template version (src/therapy/template-store.ts). */
const PUBLICATION_MEANING = 'Approved for use';

function publish(template: TemplateVersion, reason: string, signature: SignatureCredentials) {
  return sendJson<{ template: TemplateVersion; signature: Signature }>(
    'POST',
    `/api/therapy/templates/${encodeURIComponent(template.code)}/versions/${template.version}/publish`,
    { reason, signature },
  );
}

/**
 * Publishing a draft is an electronic signature: first why (for the audit trail), then the signature
 * dialog, bound to this exact version. A published version shows who approved it, when and why.
 */
export function TemplatePublication({
  template,
  onPublished,
}: {
  template: TemplateVersion;
  onPublished: () => void;
}) {
  const { me } = useSession();
  const [reasonOpen, setReasonOpen] = useState(false);
  const [reason, setReason] = useState<string | null>(null);
  const canPublish = template.status === 'draft' && (me?.permissions.includes('therapy:manage') ?? false);

  if (template.publication)
    return (
      <Paper withBorder radius="md" p="md" mb="lg" aria-label="Publication signature">
        <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
          Publication signature
        </Text>
        <SignatureManifestation signature={template.publication} />
      </Paper>
    );
  if (!canPublish) return null;
  return (
    <>
      <Button mb="lg" onClick={() => setReasonOpen(true)}>
        Publish v{template.version}…
      </Button>
      <ReasonModal
        opened={reasonOpen}
        title={`Publish ${template.title} v${template.version}`}
        confirmLabel="Continue to signature"
        action="publish the version"
        onConfirm={async (given) => {
          setReasonOpen(false);
          setReason(given);
        }}
        onClose={() => setReasonOpen(false)}
      >
        <Text size="sm">
          New cases start on the published version; cases already running stay on theirs. Publishing asks for
          your electronic signature.
        </Text>
      </ReasonModal>
      <SignatureDialog
        opened={reason !== null}
        onClose={() => {
          setReason(null);
          // Reloading shows the signature when it was given, and changes nothing when cancelled.
          onPublished();
        }}
        meaning={PUBLICATION_MEANING}
        recordSummary={
          <>
            <Text size="sm">
              {template.title} v{template.version} ({template.code}): the exact document shown on this page.
            </Text>
            <Text size="sm" c="dimmed">
              Reason: {reason}
            </Text>
          </>
        }
        sign={async (credentials) => (await publish(template, reason ?? '', credentials)).signature}
      />
    </>
  );
}
