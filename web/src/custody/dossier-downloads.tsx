import { Button, Code, Group, Paper, Text } from '@mantine/core';
import { DownloadIcon } from '../icons.tsx';
import { dossierFilePath, dossierPdfPath } from './custody-api.ts';

/** The inspection dossier of the case: the PDF to read, the file to verify offline, and how. */
export function DossierDownloads({ caseId }: { caseId: string }) {
  return (
    <Paper withBorder radius="md" p="md" aria-labelledby="dossier-heading">
      <Text component="h2" id="dossier-heading" fz="h5" fw={650} mb={4}>
        Inspection dossier
      </Text>
      <Text size="sm" c="dimmed" mb="sm">
        Every hand-off, signature, condition record and deviation of this case, in time order.
      </Text>
      <Group gap="sm" wrap="wrap">
        <Button component="a" href={dossierPdfPath(caseId)} download leftSection={<DownloadIcon size={18} />}>
          Dossier (PDF)
        </Button>
        <Button
          component="a"
          href={dossierFilePath(caseId)}
          download
          variant="default"
          leftSection={<DownloadIcon size={18} />}
        >
          Machine-readable file (NDJSON)
        </Button>
      </Group>
      <Text size="xs" c="dimmed" mt="sm">
        Verify the file offline, without Cellway: <Code>cellway ledger verify --file &lt;file&gt;</Code>
      </Text>
    </Paper>
  );
}
